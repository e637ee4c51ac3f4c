using SocialDomain.Contracts;
using SocialDomain.Population;
using SocialDomain.Views.Statistics;

namespace SocialDomain.AggregationTests;

public class PseudonymiserTests
{
    private static readonly byte[] Sleutel = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Many_pseudonyms_at_once_on_all_cores_are_the_ones_made_one_by_one()
    {
        var bsns = new SyntheticBsn();
        var personen = Enumerable.Range(0, 25_000).Select(_ => bsns.Next()).ToList();
        var huishoudens = Enumerable.Range(0, 25_000).Select(i => new Guid(i, 7, 7, [1, 2, 3, 4, 5, 6, 7, 8])).ToList();
        using var pseudonymiser = new Pseudonymiser(Sleutel);

        var samen = pseudonymiser.Personen(personen);
        var apart = personen.Select(pseudonymiser.Persoon).ToArray();
        samen.ShouldBe(apart);
        samen.Distinct().Count().ShouldBe(personen.Count);
        pseudonymiser.Huishoudens(huishoudens).ShouldBe(huishoudens.Select(pseudonymiser.Huishouden).ToArray());
    }
}
