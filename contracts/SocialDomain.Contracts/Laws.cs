using System.Collections.Frozen;

namespace SocialDomain.Contracts;

/// <summary>
/// The laws this process knows, in registration order. A law's index is its bit in a <see cref="LawSet"/> and its
/// row in the statistics, so the registry is closed once read: laws are registered at start-up, before first use.
/// </summary>
public static class Laws
{
    public const int Max = 8;

    private static readonly object Gate = new();
    private static readonly List<LawDescription> Registering = [];
    private static Registry? _registry;

    /// <summary>Registers a law; registering the same description again does nothing.</summary>
    public static void Register(LawDescription description)
    {
        lock (Gate)
        {
            var same = Registering.Find(d => d.Law == description.Law);
            if (same is not null)
            {
                if (!Equivalent(same, description))
                    throw new InvalidOperationException($"The {description.Law} is registered already, with another description.");
                return;
            }
            if (_registry is not null)
                throw new InvalidOperationException(
                    $"The {description.Law} is registered after the laws were first used; laws are registered at start-up, before first use.");
            if (Registering.Count == Max) throw new InvalidOperationException($"At most {Max} laws can be registered.");
            Registering.Add(description);
        }
    }

    public static IReadOnlyList<LawDescription> All => Current.Descriptions;

    /// <summary>The description of a registered law.</summary>
    public static LawDescription Of(Law law) =>
        Current.Index.TryGetValue(law, out var index) ? Current.Descriptions[index]
            : throw new KeyNotFoundException($"The {law} is not a registered law; registered: {string.Join(", ", Current.Descriptions.Select(d => d.Law))}.");

    public static bool TryDescribe(Law law, out LawDescription description)
    {
        var found = Current.Index.TryGetValue(law, out var index);
        description = found ? Current.Descriptions[index] : null!;
        return found;
    }

    /// <summary>The registered law with this name, in any case, as a request may spell it.</summary>
    public static bool TryFind(string? name, out Law law)
    {
        var found = Array.Find(Current.Descriptions, d => string.Equals(d.Law.Name, name, StringComparison.OrdinalIgnoreCase));
        law = found?.Law ?? default;
        return found is not null;
    }

    /// <summary>The law's place in registration order, or -1 for a law this process does not know.</summary>
    public static int IndexOf(Law law) => law.Name is not null && Current.Index.TryGetValue(law, out var index) ? index : -1;

    private static Registry Current => _registry ?? Close();

    private static Registry Close()
    {
        lock (Gate)
            return _registry ??= new Registry([.. Registering], Registering.Select((d, i) => (d.Law, i)).ToFrozenDictionary(x => x.Law, x => x.i));
    }

    private static bool Equivalent(LawDescription a, LawDescription b) =>
        a == b || a.Naam == b.Naam && a.Kort == b.Kort && a.Doelgroep == b.Doelgroep
        && Same(a.Productcategorieen, b.Productcategorieen) && Same(a.RedenenBeeindiging, b.RedenenBeeindiging);

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);

    private sealed record Registry(LawDescription[] Descriptions, FrozenDictionary<Law, int> Index);
}
