using System.Runtime.CompilerServices;
using SocialDomain.IntegrationTests.Schuldhulpverlening;
using SocialDomain.Platform;

namespace SocialDomain.IntegrationTests;

internal static class TestLaws
{
    /// <summary>The registry closes at first use, so the laws are registered before any test runs: the platform's, then the test-only fourth.</summary>
    [ModuleInitializer]
    internal static void Register()
    {
        PlatformLaws.Register();
        Contracts.Laws.Register(SchuldhulpverleningLaw.Description);
    }
}
