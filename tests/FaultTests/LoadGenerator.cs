using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SocialDomain.FaultTests;

/// <summary>
/// Posts provision events (starts, ends, batches of starts on the three law services) and household events (members
/// joining, a regisseur assigned) from a few concurrent workers until stopped, and counts every answer. What the
/// services accepted is not taken from here: the check reads it from the stores.
/// </summary>
public sealed class LoadGenerator(Platform platform, int workers, int batchSize, TimeSpan pause)
{
    private static readonly Dictionary<string, string> Categorie = new()
    {
        ["Participatiewet"] = "PW01", ["Wmo"] = "02", ["Jeugdwet"] = "45",
    };

    // Which service a provision belongs to, not which instance took it: an end may go to any instance of the service.
    private readonly ConcurrentQueue<(string Service, Guid Id)> _started = new();
    private readonly ConcurrentQueue<Guid> _households = new();
    private readonly ConcurrentDictionary<int, long> _refusals = new();
    private long _sent, _accepted, _refusedByRule, _failed;
    private volatile bool _running;
    private Task[] _tasks = [];

    public long Sent => Interlocked.Read(ref _sent);
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Answered 4xx: the domain's rules refused it (a member already elsewhere, a regisseur twice), not a fault.</summary>
    public long RefusedByRule => Interlocked.Read(ref _refusedByRule);

    /// <summary>No answer, or 5xx: refused because of the fault going on.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The 4xx answers by status code.</summary>
    public string Refusals => string.Join(", ", _refusals.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value:N0}"));

    public void Start()
    {
        _running = true;
        _tasks = [.. Enumerable.Range(0, workers).Select(i => Task.Run(() => Work(new Random(i * 7919 + Environment.TickCount))))];
    }

    public async Task StopAsync()
    {
        _running = false;
        await Task.WhenAll(_tasks);
    }

    private async Task Work(Random random)
    {
        var clients = Platform.Services.SelectMany(Platform.InstancesOf).ToDictionary(i => i, i => platform.Client(i));
        // A write service with several instances gets its requests spread over them, as behind a load balancer.
        HttpClient Any(string service) => clients[Platform.InstancesOf(service)[random.Next(Platform.InstancesOf(service).Count)]];
        while (_running)
        {
            // Each worker posts at a steady pace, a load the projection can follow on a small machine.
            await Task.Delay(pause);
            var law = Platform.LawServices[random.Next(Platform.LawServices.Length)];
            var roll = random.Next(100);
            if (roll < 40) await Post(Any(law), "/api/v1/provisions", Start(random, law), law);
            else if (roll < 55 && _started.TryDequeue(out var provision))
                await Post(Any(provision.Service), $"/api/v1/provisions/{provision.Id}/end", new { einddatum = "2025-12-31", redenBeeindiging = "02" });
            else if (roll < 65)
                await Post(Any(law), "/api/v1/provisions/batch",
                    new { records = Enumerable.Range(0, batchSize).Select(_ => Start(random, law, soort: "start")).ToArray() }, law, batch: true);
            else if (roll < 90)
            {
                var household = random.Next(3) == 0 && _households.TryPeek(out var existing) ? existing : Guid.NewGuid();
                var rol = random.Next(2) == 0 ? "Ouder" : "Kind";
                if (await Post(clients["Households"], $"/api/v1/households/{household}/members",
                        new { bsn = Bsn.Next(random), gemeente = "0344", rol, van = "2020-01-01", wijk = "WK034402" }))
                    _households.Enqueue(household);
            }
            else if (_households.TryDequeue(out var household))
                await Post(clients["Households"], $"/api/v1/households/{household}/regisseur",
                    new { regisseurId = $"regisseur-{random.Next(20)}", naam = "Regisseur", van = "2025-01-01" });
        }
        foreach (var client in clients.Values) client.Dispose();
    }

    private static Dictionary<string, object> Start(Random random, string law, string? soort = null)
    {
        var record = new Dictionary<string, object>
        {
            ["bsn"] = Bsn.Next(random), ["gemeente"] = "0344", ["productcategorie"] = Categorie[law],
            ["begindatum"] = $"2025-{random.Next(1, 13):00}-01",
        };
        if (soort is not null) record["soort"] = soort;
        return record;
    }

    private async Task<bool> Post(HttpClient client, string path, object body, string? law = null, bool batch = false)
    {
        Interlocked.Increment(ref _sent);
        try
        {
            using var response = await client.PostAsJsonAsync(path, body);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _accepted);
                if (law is not null && !batch && response.StatusCode == HttpStatusCode.Created)
                    _started.Enqueue((law, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("provisionId").GetGuid()));
                return true;
            }
            if ((int)response.StatusCode >= 500) Interlocked.Increment(ref _failed);
            else
            {
                Interlocked.Increment(ref _refusedByRule);
                _refusals.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            }
        }
        // A service killed between the connect and the first byte can surface as a bare SocketException.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
        {
            Interlocked.Increment(ref _failed);
        }
        return false;
    }
}

/// <summary>Valid, random citizen service numbers (the 11-check), so the services take them.</summary>
public static class Bsn
{
    public static string Next(Random random)
    {
        while (true)
        {
            var digits = new int[9];
            digits[0] = random.Next(1, 10);
            for (var i = 1; i < 8; i++) digits[i] = random.Next(10);
            var sum = 0;
            for (var i = 0; i < 8; i++) sum += digits[i] * (9 - i);
            var last = sum % 11;
            if (last == 10) continue;
            digits[8] = last;
            return string.Concat(digits);
        }
    }
}
