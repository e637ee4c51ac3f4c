using System.Text.Json.Nodes;

namespace SocialDomain.ServiceDefaults.OpenApi;

/// <summary>
/// The Dutch words of the contract in one place: what every property and parameter means, an example of it, and
/// which fields of a request the handler requires. Examples use test BSNs (999990019, 999993653: they pass the
/// 11-proef and belong to no one), never a real one. <see cref="ContractDocument"/> puts them in the document.
/// </summary>
public static class ContractText
{
    public const string TestBsn = "999990019";
    public const string TweedeTestBsn = "999993653";
    private const string Huishouden = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
    private const string Voorziening = "0190a1b2-c3d4-7e5f-8a6b-000000000001";
    private const string Doel = "0190a1b2-c3d4-7e5f-8a6b-000000000002";

    public sealed record Tekst(string Beschrijving, JsonNode? Voorbeeld = null);

    private static Tekst T(string beschrijving, JsonNode? voorbeeld = null) => new(beschrijving, voorbeeld);

    /// <summary>Properties and parameters by name; a name that means something else in one schema has a <c>Schema.name</c> entry.</summary>
    public static readonly IReadOnlyDictionary<string, Tekst> Velden = new Dictionary<string, Tekst>
    {
        ["bsn"] = T("Burgerservicenummer van de persoon (9 cijfers, voldoet aan de 11-proef).", TestBsn),
        ["gemeente"] = T("CBS-gemeentecode van de verantwoordelijke gemeente: precies vier cijfers, als tekst.", "0363"),
        ["productcategorie"] = T("Productcategorie uit de lijst van de wet (JZ020, WMO020 of de eigen lijst van de wet), als tekst.", "04"),
        ["productcategorieNaam"] = T("Naam van de productcategorie.", "Ondersteuning thuis"),
        ["productCode"] = T("Productcode binnen de categorie, 1 tot 5 letters of cijfers; weglaten wanneer onbekend.", "02A01"),
        ["toewijzingNummer"] = T("Toewijzingnummer; een nummer van cijfers wordt bewaard zonder voorloopnullen (\"0820099\" is \"820099\"). Weglaten wanneer er geen toewijzing is.", "820099"),
        ["begindatum"] = T("Eerste dag (YYYY-MM-DD, tussen 1900-01-01 en 2100-12-31).", "2026-01-01"),
        ["einddatum"] = T("Laatste dag (YYYY-MM-DD), op of na de begindatum; leeg zolang de periode loopt.", "2026-12-31"),
        ["geboortedatum"] = T("Geboortedatum van de persoon, voor de leeftijdstoets; weglaten wanneer onbekend.", "2012-05-17"),
        ["statusAanlevering"] = T("StatusAanlevering als in de iStandaard: \"1\" nieuw (standaard), \"3\" trekt een eerdere start met deze sleutel in, \"9\" ongewijzigd.", "1"),
        ["redenBeeindiging"] = T("Reden beëindiging uit de lijst van de wet (JZ588, WMO588 of de eigen lijst); \"20\" is een tijdelijke stop.", "02"),
        ["soort"] = T("Soort record: \"start\" of \"stop\".", "start"),
        ["records"] = T("De starts en stops, in volgorde; allemaal of geen enkele wordt opgeslagen."),
        ["accepted"] = T("Aantal opgeslagen records.", 1),
        ["provisionIds"] = T("Id van de voorziening per record, in de volgorde van de records."),
        ["warnings"] = T("Waarschuwingen: aanvaard, maar het nakijken waard."),
        ["warning"] = T("De waarschuwing.", "De einddatum ligt meer dan een jaar na de begindatum."),
        ["index"] = T("Plaats van het record in de batch, vanaf 0.", 0),
        ["provisionId"] = T("Id van de voorziening.", Voorziening),
        ["law"] = T("De wet.", "Wmo"),
        ["laws"] = T("De wetten waaronder de persoon op de peildatum een actieve voorziening heeft."),
        ["status"] = T("Status."),
        ["perioden"] = T("De perioden van de voorziening, oudste eerst."),
        ["version"] = T("Versie van de stroom gebeurtenissen na deze wijziging; hoger is later.", 3),
        ["provision"] = T("De voorziening zoals ze nu is; leeg wanneer haar start is ingetrokken."),
        ["events"] = T("Elke gebeurtenis van de voorziening, oudste eerst."),
        ["eventId"] = T("Id van de gebeurtenis.", "0190a1b2-c3d4-7e5f-8a6b-000000000003"),
        ["type"] = T("Soort gebeurtenis.", "ProvisionStarted"),
        ["recordedAt"] = T("Moment van vastleggen (UTC).", "2026-01-02T09:30:00+00:00"),
        ["source"] = T("De dienst die de gebeurtenis vastlegde.", "wmo"),
        ["actor"] = T("Gebruiker die de wijziging deed (subject van het token).", "regisseur-1"),
        ["actorRole"] = T("Rol van die gebruiker.", "aanleverancier"),
        ["agb"] = T("AGB-code van de aanbieder, wanneer een aanbieder de wijziging deed.", "12345678"),
        ["afzender"] = T("Afzender (AGB-code) van het iJw/iWmo-bericht, wanneer de wijziging uit een bericht kwam.", "12345678"),
        ["correlationId"] = T("Correlatie-id van het verzoek (X-Correlation-ID of de trace).", "4bf92f3577b34da6a3ce929d0e0e4736"),
        ["data"] = T("De gebeurtenis zelf, zoals vastgelegd."),
        ["items"] = T("De resultaten op deze pagina."),
        ["page"] = T("Paginanummer, vanaf 1 (ten hoogste 100000).", 1),
        ["pageSize"] = T("Aantal resultaten per pagina.", 20),
        ["total"] = T("Aantal resultaten in totaal.", 1),
        ["links"] = T("Links om door de pagina's te lopen."),
        ["self"] = T("Deze pagina.", "/api/v1/wmo/clients/999990019/provisions?page=1&pageSize=20"),
        ["next"] = T("De volgende pagina; leeg op de laatste.", null),
        ["prev"] = T("De vorige pagina; leeg op de eerste.", null),
        ["date"] = T("Peildatum (YYYY-MM-DD, tussen 1900-01-01 en 2100-12-31); standaard vandaag.", "2026-06-01"),
        ["peildatum"] = T("De peildatum van het overzicht.", "2026-06-01"),
        ["combinatie"] = T("De combinatie van wetten (CBS-label) waaronder voorzieningen lopen.", "Wmo + Jeugdwet"),
        ["gestapeld"] = T("Of er op de peildatum voorzieningen onder meer dan één wet lopen (stapeling).", true),
        ["provisionsPerLaw"] = T("De actieve voorzieningen, per wet."),
        ["householdId"] = T("Id van het huishouden.", Huishouden),
        ["id"] = T("Id van wat het commando aanmaakte (betrokkene of toestemming); leeg bij andere commando's.", "0190a1b2-c3d4-7e5f-8a6b-000000000004"),
        ["wijk"] = T("Wijkcode (CBS) van het huishouden, wanneer bekend.", "WK036301"),
        ["signalen"] = T("Signalen voor de regisseur, zoals stapeling zonder regisseur."),
        ["zichtbareWetten"] = T("De wetten waarvan de vrager voorzieningen mag zien."),
        ["leden"] = T("De leden van het huishouden."),
        ["regisseur"] = T("De regisseur van het huishouden, wanneer toegewezen."),
        ["plan"] = T("Het plan van het huishouden: doelen met hun acties."),
        ["betrokkenen"] = T("De professionals die betrokken zijn."),
        ["toestemmingen"] = T("De toestemmingen die op de peildatum gelden."),
        ["rol"] = T("Rol in het huishouden.", "Kind"),
        ["van"] = T("Eerste dag (YYYY-MM-DD, tussen 1900-01-01 en 2100-12-31).", "2026-01-01"),
        ["tot"] = T("Laatste dag (YYYY-MM-DD); leeg wanneer er (nog) geen einde is.", "2026-12-31"),
        ["voorzieningen"] = T("De voorzieningen van dit lid die de vrager mag zien."),
        ["regisseurId"] = T("Id van de regisseur (medewerker), ten hoogste 200 tekens.", "regisseur-1"),
        ["naam"] = T("Naam, ten hoogste 200 tekens, zonder regelovergangen.", "J. de Vries"),
        ["goalId"] = T("Id van het doel.", Doel),
        ["actionId"] = T("Id van de actie.", "0190a1b2-c3d4-7e5f-8a6b-000000000005"),
        ["consentId"] = T("Id van de toestemming.", "0190a1b2-c3d4-7e5f-8a6b-000000000006"),
        ["partyId"] = T("Id van de betrokkene.", "0190a1b2-c3d4-7e5f-8a6b-000000000004"),
        ["leefgebied"] = T("Leefgebied van het doel.", "Financien"),
        ["omschrijving"] = T("Omschrijving, ten hoogste 2000 tekens; regelovergangen zijn toegestaan.", "Schulden in kaart brengen en een regeling treffen."),
        ["eigenaar"] = T("Wie het doel of de actie trekt, ten hoogste 200 tekens.", "Schuldhulpverlener"),
        ["deadline"] = T("Uiterste datum van de actie (YYYY-MM-DD), wanneer er een is.", "2026-09-30"),
        ["acties"] = T("De acties op weg naar het doel."),
        ["conflicten"] = T("De doelen die met dit doel botsen."),
        ["conflictsWithGoalId"] = T("Id van het andere doel waarmee dit doel botst.", "0190a1b2-c3d4-7e5f-8a6b-000000000007"),
        ["gemarkeerdDoor"] = T("Wie het conflict markeerde, ten hoogste 200 tekens.", "regisseur-1"),
        ["toelichting"] = T("Waarom de doelen botsen, ten hoogste 2000 tekens.", "Verhuizen botst met de schuldregeling."),
        ["organisatie"] = T("Organisatie van de professional, ten hoogste 200 tekens.", "Wijkteam Noord"),
        ["domein"] = T("Domein waarin de professional werkt.", "Wmo"),
        ["regie"] = T("Of deze professional de regie voert; standaard niet.", false),
        ["gegevenDoor"] = T("BSN van het lid dat toestemming geeft, voor het delen van de eigen gegevens.", TestBsn),
        ["ontvanger"] = T("Wie de gegevens mag zien, ten hoogste 200 tekens.", "Wijkteam Noord"),
        ["wetten"] = T("De wetten waaronder de gegevens gedeeld mogen worden."),
        ["per"] = T("Datum waarop het ingaat (YYYY-MM-DD).", "2026-07-01"),
        ["userId"] = T("Gebruiker (subject van het token).", "regisseur-1"),
        ["at"] = T("Moment van de inzage (UTC).", "2026-01-02T09:30:00+00:00"),
        ["role"] = T("Rol van de gebruiker.", "regisseur"),
        ["service"] = T("De dienst die de inzage vastlegde.", "projections"),
        ["resource"] = T("Wat werd ingezien.", "persons/stacking"),
        ["doelbinding"] = T("Het doel van de inzage (kop X-Doelbinding), wanneer opgegeven.", "Keukentafelgesprek"),
        ["uitkomst"] = T("Uitkomst van de inzage: toegestaan, geweigerd of niet gevonden.", "toegestaan"),
        ["households"] = T("De huishoudens die de vrager mag zien waartoe de persoon hoort of hoorde."),
        ["toegang"] = T("Of de vrager het hele huishouden mag inzien.", true),

        ["PersonStackingResponse.bsn"] = T("Burgerservicenummer van de persoon.", TestBsn),
        ["ProvisionResponse.status"] = T("Status van de voorziening.", "actueel"),
        ["MemberProvision.status"] = T("Of de voorziening op de peildatum loopt: \"actueel\" of \"niet actueel\".", "actueel"),
        ["MemberResponse.combinatie"] = T("De combinatie van wetten waaronder dit lid actieve voorzieningen heeft.", "Wmo"),
        ["GoalRequest.status"] = T("Status van het doel; standaard Open.", "Open"),
        ["ActionRequest.status"] = T("Status van de actie; standaard Open.", "Open"),
        ["GoalView.status"] = T("Status van het doel.", "Open"),
        ["ActionView.status"] = T("Status van de actie.", "Open"),
        ["ConsentRequest.van"] = T("Eerste dag waarop de toestemming geldt.", "2026-01-01"),
        ["JoinRequest.van"] = T("Eerste dag van het lidmaatschap.", "2026-01-01"),
        ["LeaveRequest.tot"] = T("Laatste dag van het lidmaatschap.", "2026-12-31"),
        ["MemberLeaveRequest.tot"] = T("Laatste dag van het lidmaatschap.", "2026-12-31"),
        ["ReleaseRegisseurRequest.tot"] = T("Laatste dag van de regie.", "2026-12-31"),
        ["WithdrawConsentRequest.per"] = T("Eerste dag waarop de toestemming niet meer geldt.", "2026-07-01"),
        ["HouseholdSummary.leden"] = T("Aantal leden.", 3),
        ["HouseholdSummary.regisseur"] = T("Naam van de regisseur, wanneer toegewezen.", "J. de Vries"),
        ["ConflictView.goalId"] = T("Id van het andere doel.", "0190a1b2-c3d4-7e5f-8a6b-000000000007"),
        ["AccessEntry.bsn"] = T("BSN van de persoon wiens gegevens werden ingezien, wanneer het één persoon betrof.", TestBsn),
        ["AccessEntry.householdId"] = T("Het huishouden dat werd ingezien, wanneer het een huishouden betrof.", Huishouden),
        ["queue"] = T("Naam van de foutwachtrij.", "projections-provision-events_error"),
        ["queues"] = T("De foutwachtrijen van deze service."),
        ["inputQueue"] = T("De wachtrij waarin de berichten mislukten en waarnaar ze worden teruggezet.", "projections-provision-events"),
        ["transport"] = T("De bus: RabbitMq, of InMemory (alles in één proces; de mislukte berichten daarvan worden niet getoond).", "RabbitMq"),
        ["messageId"] = T("Id van het bericht; voor een gebeurtenis van het platform het id van de gebeurtenis.", Voorziening),
        ["messageType"] = T("Het berichttype zoals MassTransit het noemt.", "urn:message:SocialDomain.Contracts:ProvisionStarted"),
        ["exceptionType"] = T("De fout waarmee het bericht mislukte.", "SocialDomain.ServiceDefaults.Delivery.InvalidMessageException"),
        ["reason"] = T("De foutmelding.", "ProvisionStarted breaks the contract: bsn is missing."),
        ["failedAt"] = T("Wanneer het bericht voor het laatst mislukte (UTC).", "2026-01-02T09:30:00+00:00"),
        ["body"] = T("Het bericht zelf (de envelop van MassTransit, als JSON-tekst); bevat persoonsgegevens.", "{\"messageId\":\"…\",\"message\":{…}}"),
        ["resent"] = T("Aantal berichten dat is teruggezet.", 1),
        ["ErrorQueueSummary.messages"] = T("Aantal berichten in de foutwachtrij.", 2),
        ["ErrorMessagesResponse.messages"] = T("De berichten, vooraan in de wachtrij eerst; ze blijven staan."),
        ["ResendRequest.messageId"] = T("Het ene bericht om terug te zetten; weglaten om alle berichten die er nu staan terug te zetten.", Voorziening),
        ["AccessLogSearch.bsn"] = T("Alleen inzagen van deze persoon (BSN).", TestBsn),
        ["AccessLogSearch.householdId"] = T("Alleen inzagen van dit huishouden.", Huishouden),
        ["AccessLogSearch.userId"] = T("Alleen inzagen door deze gebruiker.", "regisseur-1"),
        ["AccessLogSearch.pageSize"] = T("Aantal resultaten per pagina, 1 tot 500 (standaard 50).", 50),
        ["ClientProvisionsSearch.pageSize"] = T("Aantal resultaten per pagina, 1 tot 100 (standaard 20).", 20),
    };

    /// <summary>Query and path parameters whose meaning differs from the property of the same name.</summary>
    public static readonly IReadOnlyDictionary<string, Tekst> Parameters = new Dictionary<string, Tekst>
    {
        ["id"] = T("Id van het huishouden of de voorziening.", Huishouden),
        ["gestapeld"] = T("Alleen huishoudens met voorzieningen onder meer dan één wet.", true),
        ["signalen"] = T("Alleen huishoudens met signalen.", true),
        ["page"] = T("Paginanummer, 1 tot 100000 (standaard 1).", 1),
        ["pageSize"] = T("Aantal resultaten per pagina (standaard 20; het inzagelog 50).", 20),
        ["bsn"] = T("Burgerservicenummer (verouderd: een BSN hoort niet in een URL; gebruik de zoekvraag met het BSN in de body).", TestBsn),
        ["householdId"] = T("Alleen inzagen van dit huishouden.", Huishouden),
        ["userId"] = T("Alleen inzagen door deze gebruiker.", "regisseur-1"),
        ["queue"] = T("Naam van de foutwachtrij (eindigt op _error), zoals de lijst van foutwachtrijen ze noemt.", "projections-provision-events_error"),
    };

    /// <summary>
    /// The fields of each request that its handler refuses to do without; everything else may be left out. Kept
    /// beside the handlers' rules by the test that posts a start with only these fields.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Verplicht = new Dictionary<string, string[]>
    {
        ["StartProvisionRequest"] = ["bsn", "gemeente", "productcategorie", "begindatum"],
        ["EndProvisionRequest"] = ["einddatum", "redenBeeindiging"],
        ["BatchRequest"] = ["records"],
        ["BatchRecord"] = ["soort", "bsn", "gemeente", "productcategorie", "begindatum"],
        ["ClientProvisionsSearch"] = ["bsn"],
        ["AccessLogSearch"] = [],
        ["SearchRequest"] = ["bsn"],
        ["StackingSearch"] = ["bsn"],
        ["JoinRequest"] = ["bsn", "gemeente", "rol", "van"],
        ["LeaveRequest"] = ["tot"],
        ["MemberLeaveRequest"] = ["bsn", "tot"],
        ["AssignRegisseurRequest"] = ["regisseurId", "naam", "van"],
        ["ReleaseRegisseurRequest"] = ["tot"],
        ["TransferRegisseurRequest"] = ["regisseurId", "naam", "per"],
        ["GoalRequest"] = ["leefgebied", "omschrijving", "eigenaar"],
        ["ActionRequest"] = ["omschrijving", "eigenaar"],
        ["ConflictRequest"] = ["conflictsWithGoalId", "gemarkeerdDoor", "toelichting"],
        ["InvolvedPartyRequest"] = ["naam", "organisatie", "domein", "van"],
        ["ConsentRequest"] = ["gegevenDoor", "ontvanger", "van"],
        ["WithdrawConsentRequest"] = ["per"],
        ["ResendRequest"] = [],
    };

    /// <summary>What a schema is, for the schemas of the contract; a schema not named here is described by its properties' owner.</summary>
    public static readonly IReadOnlyDictionary<string, string> Schemas = new Dictionary<string, string>
    {
        ["StartProvisionRequest"] = "Een start van een voorziening (StartProduct).",
        ["EndProvisionRequest"] = "Een einde van een voorziening (StopProduct), aangewezen met haar id.",
        ["BatchRequest"] = "Starts en stops in bulk, in één transactie.",
        ["BatchRecord"] = "Eén record van een batch: een start of een stop, aangewezen met de sleutel als in een 305- of 307-bericht.",
        ["BatchResponse"] = "Wat een aanvaarde batch opleverde.",
        ["BatchWarning"] = "Een waarschuwing bij een record van de batch.",
        ["ClientProvisionsSearch"] = "Zoekvraag naar de voorzieningen van één cliënt; het BSN staat in de body, niet in de URL.",
        ["AccessLogSearch"] = "Zoekvraag in het inzagelog; elk filter is optioneel.",
        ["SearchRequest"] = "Zoekvraag naar de huishoudens van een persoon.",
        ["StackingSearch"] = "Zoekvraag naar de stapeling van een persoon.",
        ["HouseholdChange"] = "Wat een commando op een huishouden oplevert.",
        ["ProvisionResponse"] = "Eén voorziening.",
        ["Problem"] = "Een weigering (RFC 9457), met per veld de fouten en, waar de iStandaarden er een hebben, de retourcode.",
    };
}
