using System.Globalization;
using SocialDomain.Contracts;

namespace SocialDomain.Population;

/// <summary>
/// Hands out BSNs that pass the 11-proef, in a fixed order, from the 999 range that is set aside for testing (about
/// 90,000 numbers). Numbers below it may belong to real people, so going on downwards (998…, 997…) takes an explicit
/// <paramref name="beyondTestRange"/>: for an extract, where BSNs are pseudonymised in memory, and for the rebuild
/// benchmark, which writes into a database it creates and drops.
/// </summary>
public sealed class SyntheticBsn(bool beyondTestRange = false)
{
    private const int TestRangeEnd = 99_900_000;
    private int _prefix = 99_999_999;

    public int Uitgegeven { get; private set; }

    public Bsn Next()
    {
        while (true)
        {
            var prefix = _prefix--;
            if (prefix < (beyondTestRange ? 10_000_000 : TestRangeEnd))
                throw new InvalidOperationException("The test BSN range (999xxxxxx) is used up: generate a smaller population into stores, or an extract.");
            // 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11): d9 is the weighted sum mod 11, which must be a digit.
            var sum = 0;
            for (int p = prefix, weight = 2; weight <= 9; p /= 10, weight++) sum += weight * (p % 10);
            var check = sum % 11;
            if (check == 10) continue;
            Uitgegeven++;
            return Bsn.Parse(prefix.ToString("D8", CultureInfo.InvariantCulture) + (char)('0' + check));
        }
    }
}
