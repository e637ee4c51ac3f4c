using SocialDomain.Contracts;
using SocialDomain.Jeugdwet;
using SocialDomain.Wmo;

namespace SocialDomain.Population;

/// <summary>
/// The knobs of the synthetic population, tuned so that a national run comes out near the published figures:
/// about 470,000 young people with jeugdzorg, 1.28 million Wmo maatwerk clients and 406,000 people with a
/// Participatiewet provision in a year, with about 8% of users and 13% of using households under more than one law.
/// docs/aggregation-benchmarks.md reports what a run measures.
/// </summary>
public static class Kalibratie
{
    /// <summary>Household types: alleenstaand, paar zonder kinderen, paar met kinderen, eenouder, overig (CBS shares, rounded).</summary>
    public static readonly double[] Soorten = [0.39, 0.28, 0.24, 0.08, 0.01];

    /// <summary>One, two, three or four children.</summary>
    public static readonly double[] Kinderen = [0.42, 0.42, 0.13, 0.03];

    /// <summary>Spread of the risk a household shares (lognormal, mean 1): the source of stacking.</summary>
    public const double RisicoSpreiding = 1.35;

    /// <summary>
    /// Spread of an adult's own risk below pension age, shared by their Wmo and Participatiewet chances: the
    /// person-level stacking (bijstand with begeleiding) that the household risk alone does not give.
    /// </summary>
    public const double PersoonlijkeSpreiding = 2.0;

    public const double RisicoZonderHuishouden = 3.0;

    /// <summary>Chance that someone who used a law last year still does.</summary>
    public const double Blijven = 0.62;

    public const double ZonderHuishouden = 0.002;
    public const double WijkOnbekend = 0.01;
    public const double KindVertrekt = 0.07;
    public const double PartnerVertrekt = 0.015;
    public const double TijdelijkeStop = 0.02;
    public const double Ingetrokken = 0.01;

    public static readonly double[] TweedeVoorziening = [0.2, 0.3, 0.25];

    /// <summary>Chance of using the law in a year, before the household's risk, by law, age and household type.</summary>
    public static double Kans(Law law, int leeftijd, int soort) => law switch
    {
        _ when law == JeugdwetLaw.Law => leeftijd switch
        {
            < 0 => 0,
            < 4 => 0.055,
            < 12 => 0.14,
            < 18 => 0.165,
            < 23 => 0.03,
            _ => 0,
        } * soort switch { 3 => 1.7, 2 => 0.85, _ => 1 },
        _ when law == WmoLaw.Law => leeftijd switch
        {
            < 18 => 0,
            < 45 => 0.047,
            < 65 => 0.085,
            < 75 => 0.155,
            < 85 => 0.39,
            _ => 0.72,
        } * soort switch { 0 => 1.3, 3 => 1.2, _ => 0.85 },
        _ => leeftijd switch
        {
            < 18 => 0,
            < 27 => 0.08,
            < 67 => 0.069,
            _ => 0,
        } * soort switch { 0 => 1.9, 3 => 4.5, 4 => 1.5, _ => 0.4 },
    };

    public static readonly string[][] Categorieen =
    [
        ["45", "32", "31", "33", "35", "36", "43", "48", "47", "46", "54", "41"],
        ["01", "02", "14", "12", "13", "07", "11", "15", "16", "03", "04", "08"],
        ["PW01", "PW05", "PW06", "PW07", "PW08", "PW09", "PW02", "PW03", "PW04"],
    ];

    public static readonly double[][] CategorieGewichten =
    [
        [40, 15, 10, 6, 5, 4, 3, 5, 2, 1, 6, 3],
        [30, 25, 15, 8, 6, 6, 4, 2, 1, 1, 1, 1],
        [70, 15, 5, 2, 3, 3, 1, 0.5, 0.5],
    ];
}
