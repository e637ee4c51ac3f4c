using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Provisions;
using SocialDomain.Wmo;

namespace SocialDomain.Platform;

/// <summary>The laws of the platform. Adding a law is a folder of its own and a line here.</summary>
public static class PlatformLaws
{
    /// <summary>
    /// In registration order, which is a law's bit in a <see cref="LawSet"/> and its row in the statistics: keep
    /// existing laws in place and add new ones at the end, so published row numbers stay what they were.
    /// </summary>
    public static readonly IReadOnlyList<LawDefinition> All = [JeugdwetLaw.Definition, WmoLaw.Definition, ParticipatiewetLaw.Definition];

    /// <summary>Registers the platform's laws; call at start-up, before anything reads <see cref="Laws"/>. Safe to call again.</summary>
    public static void Register()
    {
        foreach (var law in All) Contracts.Laws.Register(law.Description);
    }
}
