using System.Security.Cryptography;
using System.Text;
using SocialDomain.Contracts;

namespace SocialDomain.Provisions;

/// <summary>What the rules make of one record: the events to record, or a refusal with its retourcode.</summary>
public abstract record Decision(IReadOnlyList<string> Warnings)
{
    /// <param name="Events">Empty for a record that changes nothing (StatusAanlevering 9).</param>
    public sealed record Accepted(IReadOnlyList<IProvisionEvent> Events, IReadOnlyList<string> Warnings) : Decision(Warnings);

    /// <param name="Errors">The fields that are not valid, by name; only with retourcode 0001.</param>
    public sealed record Refused(string Retourcode, string Message, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<string> Warnings)
        : Decision(Warnings);
}

/// <summary>
/// The lifecycle rules of the iStandaarden for start and stop records (305 and 307 of iJw and iWmo), applied to one
/// record against the state of its provision's stream. The state and the time come in; the events to record or a
/// refusal come out, so every rule can be tried without a store or a host.
/// </summary>
public static class ProvisionDecider
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <param name="state">The state of the stream of the provision the record is about (<see cref="IdentityOf(LawDefinition, ProvisionCommand)"/>); null when that stream is empty.</param>
    /// <param name="now">When the events occur.</param>
    public static Decision Decide(ProvisionState? state, ProvisionCommand command, LawDefinition law, DateTimeOffset now)
    {
        var record = RecordValidation.Validate(law, command);
        return record.Refusal ?? Decide(state, record, law.Law, now);
    }

    /// <summary>The provision a record is about (IV096); null when the record is not valid.</summary>
    public static Guid? IdentityOf(LawDefinition law, ProvisionCommand command) =>
        RecordValidation.Validate(law, command) is { Refusal: null } record ? record.ProvisionId : null;

    /// <summary>
    /// The identity of a provision is its toewijzingnummer when there is one, else productcategorie, productcode
    /// and begindatum (IV096), always within one law, client and gemeente. Deriving the id from that key makes the
    /// key's stream the one place where a second start is refused. The toewijzingnummer comes in its canonical form
    /// (<see cref="RecordValidation.CanonicalToewijzingNummer"/>), so "0820099" and "820099" are one provision.
    /// </summary>
    internal static Guid IdentityOf(Law law, Gemeentecode gemeente, Bsn bsn, string categorie, string? productCode, string? toewijzing, DateOnly begindatum)
    {
        var key = toewijzing is not null
            ? $"{law}|{gemeente}|{bsn}|T|{toewijzing}"
            : $"{law}|{gemeente}|{bsn}|P|{categorie}|{productCode}|{begindatum:yyyy-MM-dd}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }

    /// <summary>Decides on a record that passed <see cref="RecordValidation"/>.</summary>
    internal static Decision Decide(ProvisionState? state, RecordValidation record, Law law, DateTimeOffset now)
    {
        state ??= ProvisionState.Empty;
        return record.Command switch
        {
            StartCommand start => DecideStart(state, record, start, law, now),
            StopCommand stop => DecideStop(state, record, stop, law, now),
            _ => throw new ArgumentOutOfRangeException(nameof(record)),
        };
    }

    private static Decision DecideStart(ProvisionState state, RecordValidation record, StartCommand command, Law law, DateTimeOffset now)
    {
        var earlier = state.WithBegindatum(record.Begindatum);
        switch (command.Status)
        {
            case StatusAanlevering.Verwijderen:
                if (earlier is not { } withdrawn) return Refuse(record, "9063", "There is no earlier start with this key to withdraw.");
                if (withdrawn.StopEventId is not null) return Refuse(record, "9071", "The start cannot be withdrawn: it has been stopped; withdraw the stop first.");
                return Accept(record, Retraction(state, record, law, now, withdrawn.StartEventId));
            case StatusAanlevering.Ongewijzigd:
                return earlier is null ? Refuse(record, "9063", "There is no earlier start with this key.") : Accept(record, null);
        }
        if (state.Actual is not null) return Refuse(record, "9326", "The actual start with this key has not been stopped yet.");
        if (earlier is not null) return Refuse(record, "9074", "A start with this key was received before.");
        if (state.Perioden is [.., var previous])
        {
            if (!previous.Tijdelijk)
                return Refuse(record, "9415", "The toewijzing was stopped for good; only a temporary stop (reden 20) allows a new start.");
            if (record.Begindatum <= previous.Einddatum)
                return Refuse(record, "9361", $"The begindatum lies in the previous period, which ended {previous.Einddatum:yyyy-MM-dd}.");
        }
        return Accept(record, new ProvisionStarted(Guid.CreateVersion7(now), ProvisionService.StreamOf(record.ProvisionId), state.Version + 1,
            now, record.Gemeente, law, record.ProvisionId, record.Bsn, record.Categorie, command.Key.ProductCode,
            command.Key.ToewijzingNummer, record.Begindatum, command.Geboortedatum));
    }

    private static Decision DecideStop(ProvisionState state, RecordValidation record, StopCommand command, Law law, DateTimeOffset now)
    {
        var period = state.WithBegindatum(record.Begindatum);
        // TR382: the stop carries the start's key unchanged, product included.
        if (period is { } started && state.StartOf(started) is var start
            && (start.Productcategorie != record.Categorie || start.ProductCode != command.Key.ProductCode))
            return Refuse(record, "9069", "The product differs from the product of the start with this key.");
        switch (command.Status)
        {
            case StatusAanlevering.Verwijderen:
                if (period is not { StopEventId: { } stop } stopped) return Refuse(record, "9063", "There is no earlier stop with this key to withdraw.");
                if (stopped != state.Perioden[^1])
                    return Refuse(record, "9361", "The stop cannot be withdrawn: a later start follows it and the periods would overlap.");
                return Accept(record, Retraction(state, record, law, now, stop));
            case StatusAanlevering.Ongewijzigd:
                return period?.StopEventId is null ? Refuse(record, "9063", "There is no earlier stop with this key.") : Accept(record, null);
        }
        if (period is not { StopEventId: null } actual) return Refuse(record, "9069", "There is no actual start with this key.");
        return Accept(record, new ProvisionEnded(Guid.CreateVersion7(now), ProvisionService.StreamOf(record.ProvisionId), state.Version + 1,
            now, record.Gemeente, law, record.ProvisionId, record.Bsn, actual.Begindatum, record.Einddatum!.Value, record.Reden!));
    }

    private static ProvisionRetracted Retraction(ProvisionState state, RecordValidation record, Law law, DateTimeOffset now, Guid retracted) =>
        new(Guid.CreateVersion7(now), ProvisionService.StreamOf(record.ProvisionId), state.Version + 1,
            now, record.Gemeente, law, record.ProvisionId, record.Bsn, retracted);

    private static Decision.Accepted Accept(RecordValidation record, IProvisionEvent? @event) =>
        new(@event is null ? [] : [@event], record.Warnings);

    private static Decision.Refused Refuse(RecordValidation record, string retourcode, string message) =>
        new(retourcode, message, NoErrors, record.Warnings);
}
