namespace SocialDomain.Contracts;

/// <summary>
/// What a consumer may take for granted of every integration event, whatever its type. The platform's services never
/// publish an event that breaks it, so one that does is malformed or forged: it can never be applied, and is refused
/// at once instead of being retried.
/// </summary>
public static class IntegrationEventContract
{
    public static IReadOnlyList<string> Violations(IIntegrationEvent e)
    {
        var violations = new List<string>();
        if (e.EventId == Guid.Empty) violations.Add("eventId is missing");
        if (string.IsNullOrEmpty(e.StreamId)) violations.Add("streamId is missing");
        if (e.StreamVersion < 0) violations.Add("streamVersion is negative");
        if (e.Gemeente.Value is null) violations.Add("gemeente is missing");
        switch (e)
        {
            case IProvisionEvent provision:
                if (provision.Law.Name is null) violations.Add("law is missing");
                if (provision.ProvisionId == Guid.Empty) violations.Add("provisionId is missing");
                if (provision.Bsn.Value is null) violations.Add("bsn is missing");
                break;
            case IHouseholdEvent household:
                if (household.HouseholdId == Guid.Empty) violations.Add("householdId is missing");
                if (household is HouseholdMemberJoined { Bsn.Value: null } or HouseholdMemberLeft { Bsn.Value: null })
                    violations.Add("bsn is missing");
                break;
        }
        return violations;
    }
}
