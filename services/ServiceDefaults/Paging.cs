namespace SocialDomain.ServiceDefaults;

/// <summary>
/// A page asked for, bounded on both sides: page 1 to <see cref="MaxPage"/>, and a page size up to the endpoint's
/// maximum. The bounds keep the offset (page - 1) × size inside an int, so a huge page is refused instead of
/// wrapping round to another page.
/// </summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPage = 100_000;

    /// <summary>The largest page size any endpoint may allow: with <see cref="MaxPage"/> the offset still fits an int.</summary>
    public const int MaxPageSizeLimit = int.MaxValue / MaxPage;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>The page asked for, or field errors naming <c>page</c> and <c>pageSize</c>; absent values take the defaults.</summary>
    public static Paging From(int? page, int? pageSize, int defaultSize, int maxSize, FieldErrors errors)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, MaxPageSizeLimit);
        if (page is < 1 or > MaxPage) errors.Add("page", $"Pages count from 1 to {MaxPage}.");
        if (pageSize is { } size && (size < 1 || size > maxSize)) errors.Add("pageSize", $"A page holds 1 to {maxSize} items.");
        return new(page ?? 1, pageSize ?? defaultSize);
    }
}

/// <summary>One page of results, and how many there are in all.</summary>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
