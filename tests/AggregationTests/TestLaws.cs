using System.Runtime.CompilerServices;
using SocialDomain.Platform;

namespace SocialDomain.AggregationTests;

internal static class TestLaws
{
    /// <summary>The registry closes at first use, so the laws are registered before any test runs.</summary>
    [ModuleInitializer]
    internal static void Register() => PlatformLaws.Register();
}
