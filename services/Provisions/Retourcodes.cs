namespace SocialDomain.Provisions;

/// <summary>The retourcodes (iJw/iWmo COD954) this service answers with, and what they mean.</summary>
public static class Retourcodes
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["0001"] = "Refused: the record is not valid",
        ["0200"] = "Accepted",
        ["9063"] = "No earlier record with this key",
        ["9069"] = "No actual start with the same key",
        ["9071"] = "The start cannot be withdrawn: it has been stopped",
        ["9074"] = "A record with the same key was received before",
        ["9326"] = "The actual provision has not been stopped yet",
        ["9361"] = "The periods of this product would overlap",
        ["9415"] = "The toewijzing was stopped for good",
    };

    public static string Title(string retourcode) => Titles.GetValueOrDefault(retourcode, retourcode);
}
