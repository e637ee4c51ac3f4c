using System.Text;
using System.Xml.Linq;
using SocialDomain.Contracts;
using SocialDomain.Provisions;
using SocialDomain.Provisions.IStandaarden;
using SocialDomain.Jeugdwet;
using SocialDomain.Participatiewet;
using SocialDomain.Wmo;

namespace SocialDomain.UnitTests;

public class IStandaardenTests
{
    private static readonly XNamespace R = Retour.Namespace;
    private static readonly ProvisionKey Jw305FirstKey = new("999900006", "0363", "55", "55A11", "300201", new DateOnly(2026, 4, 3));

    [Theory]
    [InlineData("JW305", "Jeugdwet", BerichtSoort.Start, "438", "439")]
    [InlineData("JW307", "Jeugdwet", BerichtSoort.Stop, "440", "441")]
    [InlineData("WMO305", "Wmo", BerichtSoort.Start, "418", "419")]
    [InlineData("WMO307", "Wmo", BerichtSoort.Stop, "420", "421")]
    public void The_official_example_of_each_message_is_accepted_by_its_own_law(
        string naam, string wet, BerichtSoort soort, string berichtCode, string retourCode)
    {
        var law = new Law(wet);
        var bericht = IStandaardBericht.Parse(Body(Example(naam)), law);

        bericht.Header.Naam.ShouldBe(naam);
        bericht.Header.Law.ShouldBe(law);
        bericht.Header.Soort.ShouldBe(soort);
        bericht.Header.BerichtCode.ShouldBe(berichtCode);
        bericht.Header.RetourBerichtCode.ShouldBe(retourCode);
        bericht.Header.Ontvanger.ShouldBe("0363");
        bericht.Commands.Count.ShouldBe(2);
        bericht.Commands.ShouldAllBe(c => soort == BerichtSoort.Start ? c is StartCommand : c is StopCommand);
        bericht.Commands.ShouldAllBe(c => c.Key.Gemeente == "0363" && c.Key.Bsn == "999900006" && c.Status == StatusAanlevering.Eerste);
    }

    [Fact]
    public void A_JW305_maps_its_header_and_every_field_of_its_start_products()
    {
        var bericht = IStandaardBericht.Parse(Body(Jw305), JeugdwetLaw.Law);

        bericht.Header.ShouldBe(new BerichtHeader(JeugdwetLaw.Law, BerichtSoort.Start, "JW305", "438", "65656055", "0363",
            new BerichtIdentificatie("123456789012", new DateOnly(2026, 4, 15)), "439"));
        bericht.Commands.ShouldBe(
        [
            new StartCommand(Jw305FirstKey, new DateOnly(2010, 2, 14), StatusAanlevering.Eerste),
            new StartCommand(new ProvisionKey("999900006", "0363", "55", "55A12", "300202", new DateOnly(2026, 4, 15)),
                new DateOnly(2010, 2, 14), StatusAanlevering.Eerste),
        ]);
    }

    [Fact]
    public void A_WMO307_maps_every_field_of_its_stop_products()
    {
        var bericht = IStandaardBericht.Parse(Body(Wmo307), WmoLaw.Law);

        bericht.Header.BerichtIdentificatie.ShouldBe(new BerichtIdentificatie("123456789014", new DateOnly(2025, 7, 21)));
        bericht.Header.Afzender.ShouldBe("65656055");
        bericht.Commands.ShouldBe(
        [
            new StopCommand(new ProvisionKey("999900006", "0363", "01", "01A11", "300201", new DateOnly(2025, 4, 3)),
                new DateOnly(2025, 7, 18), "31", StatusAanlevering.Eerste),
            new StopCommand(new ProvisionKey("999900006", "0363", "01", "01A12", "300202", new DateOnly(2025, 4, 15)),
                new DateOnly(2025, 7, 18), "31", StatusAanlevering.Eerste),
        ]);
    }

    [Fact]
    public void The_clients_name_is_validated_but_not_carried()
    {
        var bericht = IStandaardBericht.Parse(Body(Wmo307), WmoLaw.Law);

        var everything = bericht.Header + string.Join(";", bericht.Commands);
        everything.ShouldNotContain("Vries");
        everything.ShouldNotContain("Peter");
    }

    [Fact]
    public void A_product_may_lack_its_product_or_its_code_and_the_missing_parts_are_null()
    {
        var xml = Jw305
            .Replace("<jw305:Product>\n\t\t\t\t\t<ijw:Categorie>55</ijw:Categorie>\n\t\t\t\t\t<ijw:Code>55A11</ijw:Code>\n\t\t\t\t</jw305:Product>", "")
            .Replace("<ijw:Code>55A12</ijw:Code>", "")
            .Replace("<jw305:ToewijzingNummer>300202</jw305:ToewijzingNummer>", "")
            .Replace("<jw305:StatusAanlevering>1</jw305:StatusAanlevering>", "<jw305:StatusAanlevering>3</jw305:StatusAanlevering>");

        var commands = IStandaardBericht.Parse(Body(xml), JeugdwetLaw.Law).Commands;

        commands[0].Key.ShouldBe(Jw305FirstKey with { Productcategorie = null, ProductCode = null });
        commands[1].Key.ShouldBe(new ProvisionKey("999900006", "0363", "55", null, null, new DateOnly(2026, 4, 15)));
        commands.ShouldAllBe(c => c.Status == StatusAanlevering.Verwijderen);
    }

    [Fact]
    public void A_toewijzingnummer_is_a_number_so_leading_zeros_do_not_make_another_key()
    {
        var xml = Jw305.Replace(">300201<", ">000300201<");

        IStandaardBericht.Parse(Body(xml), JeugdwetLaw.Law).Commands[0].Key.ToewijzingNummer.ShouldBe("300201");
    }

    [Fact]
    public void A_message_with_500_start_products_gives_500_commands_in_document_order()
    {
        var bericht = IStandaardBericht.Parse(Body(Jw305WithProducts(500)), JeugdwetLaw.Law);

        bericht.Commands.Count.ShouldBe(500);
        bericht.Commands.Select(c => c.Key.ToewijzingNummer).ShouldBe(Enumerable.Range(0, 500).Select(i => (100000 + i).ToString()));
    }

    [Fact]
    public async Task ParseAsync_gives_the_same_message_as_Parse()
    {
        var bericht = await IStandaardBericht.ParseAsync(new NonSeekable(Encoding.UTF8.GetBytes(Jw307)), JeugdwetLaw.Law,
            cancellationToken: TestContext.Current.CancellationToken);

        bericht.Header.ShouldBe(IStandaardBericht.Parse(Body(Jw307), JeugdwetLaw.Law).Header);
        bericht.Commands.ShouldBe(IStandaardBericht.Parse(Body(Jw307), JeugdwetLaw.Law).Commands);
    }

    [Fact]
    public void Messages_are_parsed_safely_in_parallel()
    {
        string[] names = ["JW305", "JW307", "WMO305", "WMO307"];
        var counts = new int[64];

        Parallel.For(0, counts.Length, i =>
        {
            var name = names[i % 4];
            counts[i] = IStandaardBericht.Parse(Body(Example(name)), name.StartsWith("JW") ? JeugdwetLaw.Law : WmoLaw.Law).Commands.Count;
        });

        counts.ShouldAllBe(c => c == 2);
    }

    [Theory]
    [InlineData("JW305", "Wmo")]
    [InlineData("JW307", "Wmo")]
    [InlineData("WMO305", "Jeugdwet")]
    [InlineData("WMO307", "Jeugdwet")]
    public void A_message_of_the_other_law_is_refused(string naam, string wet)
    {
        var law = new Law(wet);
        var refused = Refused(Example(naam), law);

        refused.Reasons.ShouldHaveSingleItem().ShouldContain(naam);
        refused.Reasons[0].ShouldContain(law.ToString());
    }

    [Theory]
    [InlineData("JW305")]
    [InlineData("WMO307")]
    public void Participatiewet_has_no_istandaard_so_every_message_is_refused(string naam) =>
        Refused(Example(naam), ParticipatiewetLaw.Law).Reasons.ShouldHaveSingleItem().ShouldContain("Participatiewet has no iStandaard");

    [Fact]
    public void A_message_in_another_namespace_is_refused()
    {
        var xml = Jw305.Replace("http://www.istandaarden.nl/ijw/3_2/jw305/schema", "http://www.istandaarden.nl/ijw/3_1/jw305/schema");

        var reason = Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem();

        reason.ShouldContain("3_1/jw305");
        reason.ShouldContain("expected JW305 or JW307");
    }

    [Theory]
    [InlineData("<jw305:Header xmlns:jw305=\"http://www.istandaarden.nl/ijw/3_2/jw305/schema\"/>", "'Header'")]
    [InlineData("<Bericht/>", "no namespace")]
    public void Another_root_element_is_refused(string xml, string reason) =>
        Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem().ShouldContain(reason);

    [Fact]
    public void Every_xsd_error_is_reported_with_its_line()
    {
        var xml = Jw305
            .Replace("<ijw:Dagtekening>2026-04-15</ijw:Dagtekening>", "<ijw:Dagtekening>2026-02-30</ijw:Dagtekening>")
            .Replace("<jw305:Begindatum>2026-04-03</jw305:Begindatum>", "<jw305:Begindatum>2026-4-3</jw305:Begindatum>")
            .Replace("<jw305:Begindatum>2026-04-15</jw305:Begindatum>", "<jw305:Begindatum>2026-04-15</jw305:Begindatum><jw305:Opmerking>x</jw305:Opmerking>");

        var refused = Refused(xml, JeugdwetLaw.Law);

        refused.Reasons.Count.ShouldBe(3);
        refused.Reasons[0].ShouldStartWith("Line 11,");
        refused.Reasons[0].ShouldContain("'Dagtekening'");
        refused.Reasons[1].ShouldStartWith("Line 40,");
        refused.Reasons[1].ShouldContain("'Begindatum'");
        refused.Reasons[2].ShouldStartWith("Line 50,");
        refused.Reasons[2].ShouldContain("'Opmerking'");
    }

    [Fact]
    public void A_message_without_a_bsn_is_refused()
    {
        var reason = Refused(Jw305.Replace("<jw305:Bsn>999900006</jw305:Bsn>", ""), JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem();

        reason.ShouldStartWith("Line 20,");
        reason.ShouldContain("expected: 'Bsn'");
    }

    [Fact]
    public void Xsd_errors_name_the_element_but_never_repeat_a_bsn_or_a_name()
    {
        var achternaam = "Wit" + new string('x', 200);
        var xml = Jw305
            .Replace("<jw305:Bsn>999900006</jw305:Bsn>", "<jw305:Bsn>9999000061</jw305:Bsn>")
            .Replace("<ijw:Achternaam>Wit</ijw:Achternaam>", $"<ijw:Achternaam>{achternaam}</ijw:Achternaam>");

        var refused = Refused(xml, JeugdwetLaw.Law);

        refused.Reasons.Count.ShouldBe(2);
        refused.Reasons[0].ShouldContain("'Bsn'");
        refused.Reasons[1].ShouldContain("'Achternaam'");
        foreach (var text in refused.Reasons.Append(refused.Message))
        {
            text.ShouldNotContain("99990000");
            text.ShouldNotContain(achternaam[..20]);
        }
    }

    [Fact]
    public void Deeply_nested_elements_are_refused_without_exhausting_the_stack()
    {
        const int depth = 100_000;
        var nested = string.Concat(Enumerable.Repeat("<jw305:X>", depth)) + string.Concat(Enumerable.Repeat("</jw305:X>", depth));

        var refused = Refused(Jw305.Replace("</jw305:XsdVersie>", "</jw305:XsdVersie>" + nested), JeugdwetLaw.Law);

        refused.Reasons.ShouldHaveSingleItem().ShouldContain("nested deeper than 16 levels");
    }

    [Fact]
    public void Text_split_by_a_million_comments_is_read_in_linear_time()
    {
        var split = string.Concat(Enumerable.Repeat("1<!---->", 1_000_000));
        var xml = Jw305.Replace("<ijw:Identificatie>123456789012</ijw:Identificatie>", $"<ijw:Identificatie>{split}</ijw:Identificatie>");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var reason = Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem();

        reason.ShouldContain("'Identificatie'");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_products_text_split_by_comments_is_read_whole()
    {
        var xml = Jw305.Replace("<jw305:Begindatum>2026-04-03</jw305:Begindatum>", "<jw305:Begindatum>2026-<!-- a -->04-<!-- b -->03</jw305:Begindatum>")
            .Replace("<ijw:Code>55A11</ijw:Code>", "<ijw:Code>55<!-- c -->A11</ijw:Code>");
        xml.ShouldNotBe(Jw305);

        IStandaardBericht.Parse(Body(xml), JeugdwetLaw.Law).Commands[0].Key.ShouldBe(Jw305FirstKey);
    }

    [Fact]
    public void A_products_text_split_by_a_million_comments_is_read_in_linear_time()
    {
        var split = string.Concat(Enumerable.Repeat("1<!---->", 1_000_000));
        var xml = Jw305.Replace("<jw305:Begindatum>2026-04-03</jw305:Begindatum>", $"<jw305:Begindatum>{split}</jw305:Begindatum>");
        xml.ShouldNotBe(Jw305);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var reason = Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem();

        reason.ShouldContain("'Begindatum'");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Xml_that_is_not_well_formed_is_refused_with_its_line()
    {
        var xml = Jw305.Replace("</jw305:Afzender>", "</jw305:Afzendr>");

        var reason = Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem();

        reason.ShouldStartWith("Line 7,");
        reason.ShouldContain("not well-formed");
    }

    [Fact]
    public void A_billion_laughs_dtd_is_refused()
    {
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE jw305:Bericht [
            <!ENTITY lol0 "lol">
            {entities}
            ]>
            {Jw305[(Jw305.IndexOf("?>") + 2)..].Replace("<jw305:Afzender>65656055</jw305:Afzender>", "<jw305:Afzender>&lol9;</jw305:Afzender>")}
            """;

        Refused(xml, JeugdwetLaw.Law).Reasons.ShouldHaveSingleItem().ShouldContain("DTD");
    }

    [Fact]
    public void An_external_entity_is_refused_and_never_read()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>"""
                  + Jw305[(Jw305.IndexOf("?>") + 2)..].Replace("<ijw:Achternaam>Wit</ijw:Achternaam>", "<ijw:Achternaam>&e;</ijw:Achternaam>");

        var refused = Refused(xml, JeugdwetLaw.Law);

        refused.Reasons.ShouldHaveSingleItem().ShouldContain("DTD");
        refused.ToString().ShouldNotContain("root:");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_refused_after_reading_no_more_than_the_limit(bool async)
    {
        const int limit = 64 * 1024;
        var body = new NonSeekable(Encoding.UTF8.GetBytes(Jw305WithProducts(4000)));
        body.Length.ShouldBeGreaterThan(1024 * 1024);

        var refused = async
            ? await Should.ThrowAsync<BerichtAfgekeurd>(() => IStandaardBericht.ParseAsync(body, JeugdwetLaw.Law, limit))
            : Should.Throw<BerichtAfgekeurd>(() => IStandaardBericht.Parse(body, JeugdwetLaw.Law, limit));

        refused.Reasons.ShouldHaveSingleItem().ShouldContain($"limit of {limit} bytes");
        body.BytesRead.ShouldBeLessThanOrEqualTo(limit + 1);
    }

    [Fact]
    public void A_seekable_body_over_the_limit_is_refused_before_reading()
    {
        var body = Body(Jw305WithProducts(4000));

        Should.Throw<BerichtAfgekeurd>(() => IStandaardBericht.Parse(body, JeugdwetLaw.Law, 64 * 1024));

        body.Position.ShouldBe(0);
    }

    [Fact]
    public void A_body_of_exactly_the_limit_is_accepted()
    {
        var bytes = Encoding.UTF8.GetBytes(Jw305);

        IStandaardBericht.Parse(new NonSeekable(bytes), JeugdwetLaw.Law, bytes.Length).Commands.Count.ShouldBe(2);
    }

    [Fact]
    public void The_retour_refers_to_the_message_and_carries_every_products_retourcode()
    {
        var bericht = IStandaardBericht.Parse(Body(Jw305), JeugdwetLaw.Law);
        CommandOutcome[] outcomes =
        [
            new(0, CommandOutcome.Geaccepteerd, Guid.NewGuid(), null, new Dictionary<string, string[]>(), []),
            new(1, "9326", null, "De actuele levering is nog niet gestopt met een Stopbericht.",
                new Dictionary<string, string[]> { ["Begindatum"] = ["A start with this key is already active."] }, ["Check the toewijzing."]),
        ];

        var retour = Retour.Render(bericht, outcomes).Root!;

        var header = retour.Element(R + "Header")!;
        header.Element(R + "BerichtCode")!.Value.ShouldBe("439");
        header.Element(R + "Afzender")!.Value.ShouldBe("0363");
        header.Element(R + "Ontvanger")!.Value.ShouldBe("65656055");
        header.Element(R + "BerichtIdentificatie")!.Element(R + "Identificatie")!.Value.ShouldBe("123456789012");
        header.Element(R + "BerichtIdentificatie")!.Element(R + "Dagtekening")!.Value.ShouldBe("2026-04-15");
        header.Element(R + "RetourCodes")!.Element(R + "RetourCode")!.Value.ShouldBe("0200");

        var products = retour.Element(R + "Client")!.Element(R + "StartProducten")!.Elements(R + "StartProduct").ToArray();
        products.Select(p => p.Element(R + "RetourCodes")!.Element(R + "RetourCode")!.Value).ShouldBe(["0200", "9326"]);
        products.Select(p => p.Element(R + "ToewijzingNummer")!.Value).ShouldBe(["300201", "300202"]);
        products[1].Element(R + "Product")!.Element(R + "Code")!.Value.ShouldBe("55A12");
        products[1].Element(R + "Begindatum")!.Value.ShouldBe("2026-04-15");
        products[1].Element(R + "Toelichting")!.Value.ShouldContain("Stopbericht");
        products[1].Element(R + "Fouten")!.Element(R + "Fout")!.Attribute("Veld")!.Value.ShouldBe("Begindatum");
        retour.ToString().ShouldNotContain("999900006");
        retour.ToString().ShouldNotContain(">Wit<");
    }

    [Fact]
    public void The_retour_of_a_stop_message_carries_its_stop_products()
    {
        var bericht = IStandaardBericht.Parse(Body(Wmo307), WmoLaw.Law);
        var outcomes = bericht.Commands.Select((_, i) => new CommandOutcome(i, "9069", null, "Er is geen actueel startbericht met dezelfde sleutel.",
            new Dictionary<string, string[]>(), [])).ToArray();

        var retour = Retour.Render(bericht, outcomes).Root!;

        retour.Element(R + "Header")!.Element(R + "BerichtCode")!.Value.ShouldBe("421");
        var products = retour.Element(R + "Client")!.Element(R + "StopProducten")!.Elements(R + "StopProduct").ToArray();
        products.Length.ShouldBe(2);
        products.ShouldAllBe(p => p.Element(R + "RetourCodes")!.Element(R + "RetourCode")!.Value == "9069");
        products[0].Element(R + "Einddatum")!.Value.ShouldBe("2025-07-18");
    }

    [Fact]
    public void A_retour_needs_one_outcome_per_command() =>
        Should.Throw<ArgumentException>(() => Retour.Render(IStandaardBericht.Parse(Body(Jw305), JeugdwetLaw.Law), []));

    private static MemoryStream Body(string xml) => new(Encoding.UTF8.GetBytes(xml));

    private static BerichtAfgekeurd Refused(string xml, Law law) =>
        Should.Throw<BerichtAfgekeurd>(() => IStandaardBericht.Parse(Body(xml), law));

    private static string Example(string naam) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", naam + ".xml"));

    /// <summary>The JW305 example with <paramref name="count"/> start products, toewijzingnummers 100000 and up.</summary>
    private static string Jw305WithProducts(int count)
    {
        var open = Jw305.IndexOf("<jw305:StartProducten>") + "<jw305:StartProducten>".Length;
        var close = Jw305.IndexOf("</jw305:StartProducten>");
        var products = Enumerable.Range(0, count).Select(i => $"""
            <jw305:StartProduct>
                <jw305:ToewijzingNummer>{100000 + i}</jw305:ToewijzingNummer>
                <jw305:Product><ijw:Categorie>45</ijw:Categorie><ijw:Code>45A{i % 100:00}</ijw:Code></jw305:Product>
                <jw305:Begindatum>2026-04-03</jw305:Begindatum>
                <jw305:StatusAanlevering>1</jw305:StatusAanlevering>
            </jw305:StartProduct>
            """);
        return Jw305[..open] + string.Concat(products) + Jw305[close..];
    }

    /// <summary>A request body as Kestrel gives it: not seekable, read in pieces; it counts what was read.</summary>
    private sealed class NonSeekable(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => content.Length;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, Math.Min(count, 4096));
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    // The official example messages of iJw 3.2 and iWmo 3.2 (Zorginstituut Nederland), kept in Examples/.
    private static readonly string Jw305 = Example("JW305");
    private static readonly string Jw307 = Example("JW307");
    private static readonly string Wmo307 = Example("WMO307");
}
