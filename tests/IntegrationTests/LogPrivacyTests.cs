using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.IntegrationTests;

/// <summary>No BSN or name reaches the application logs, whatever goes right or wrong.</summary>
public sealed class LogPrivacyTests : EmbeddedPlatformTests
{
    private readonly LogCapture _logs = new();

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(_logs);

    [Fact]
    public async Task A_day_of_posting_reading_and_failing_leaves_no_bsn_or_name_in_the_logs()
    {
        string[] bsns = ["999990019", "111222333", "123456782", "999900006"];
        var household = Guid.NewGuid();
        await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = bsns[0], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }, Ct);
        await Client.PostAsJsonAsync("/api/v1/jeugdwet/provisions", new { bsn = bsns[0], gemeente = "0344", productcategorie = "45", begindatum = "2025-01-01" }, Ct);
        await Client.PostAsJsonAsync("/api/v1/wmo/provisions", new { bsn = "123456789", gemeente = "0344", productcategorie = "02", begindatum = "2025-01-01" }, Ct);
        await Client.PostAsJsonAsync($"/api/v1/households/{household}/members", new { bsn = bsns[1], gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct);
        await Client.PostAsJsonAsync($"/api/v1/households/{household}/members", new { bsn = bsns[1], gemeente = "0344", rol = "Ouder", van = "2020-01-01" }, Ct);
        await Client.PostAsync("/api/v1/jeugdwet/berichten", new StringContent(
            $"<?xml version=\"1.0\"?><x><Bsn>{bsns[3]}</Bsn><Achternaam>Wit</Achternaam><Voornamen>Tommie</Voornamen></x>", Encoding.UTF8, "application/xml"), Ct);
        await Client.PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = bsns[2] }, Ct);
        await Host.As(Roles.Regisseur, "0344").PostAsJsonAsync("/api/v1/persons/stacking/zoeken", new { bsn = bsns[0] }, Ct);
        await Client.PostAsJsonAsync("/api/v1/households/zoeken", new { bsn = bsns[1] }, Ct);
        await Eventually.Get(() => Stacking(bsns[0], "2025-02-01"), s => s.GetProperty("combinatie").GetString() == "Alleen Jeugd");

        _logs.Messages.ShouldNotBeEmpty("the capture works");
        foreach (var message in _logs.Messages)
        {
            foreach (var bsn in bsns.Append("123456789")) message.ShouldNotContain(bsn);
            message.ShouldNotContain("Tommie");
        }
    }

    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
