using System.Net;
using System.Net.Sockets;

namespace SocialDomain.IntegrationTests;

/// <summary>
/// A loopback TCP forwarder between a service and a server it uses, that a test can cut: every open connection is
/// dropped and new ones are refused until it is restored. The server itself is not touched, so other tests on it go on.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopped = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private volatile bool _cut;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        _listener.Start();
        _ = Accept();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and refuses new ones, as a database that went away does.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task Accept()
    {
        while (!_stopped.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stopped.Token);
            }
            catch (Exception) when (_stopped.IsCancellationRequested)
            {
                return;
            }
            if (_cut)
            {
                incoming.Client.LingerState = new LingerOption(true, 0);
                incoming.Dispose();
                continue;
            }
            _ = Forward(incoming);
        }
    }

    private async Task Forward(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(_target, _stopped.Token);
            lock (_lock)
            {
                _open.Add(incoming);
                _open.Add(outgoing);
            }
            var (a, b) = (incoming.GetStream(), outgoing.GetStream());
            await Task.WhenAny(a.CopyToAsync(b, _stopped.Token), b.CopyToAsync(a, _stopped.Token));
        }
        catch (Exception)
        {
            // A cut or a closed side ends the pair; the service sees its connection drop.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }
            incoming.Dispose();
            outgoing.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopped.Cancel();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
