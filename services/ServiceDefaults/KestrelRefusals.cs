using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SocialDomain.ServiceDefaults;

/// <summary>
/// Kestrel's own refusals (a malformed request line or header, <c>%00</c> in the path, a request line or headers over
/// its limits, a bad Host header, a bad Content-Length or Transfer-Encoding) as problem+json (docs/api-edge.md).
/// Kestrel answers these before any middleware runs, with a header block of <c>Content-Length: 0</c> and
/// <c>Connection: close</c>. Kestrel announces each one first, with its reason, in its documented
/// <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event; from then on the connection's output is
/// held until the next flush, and if what Kestrel wrote is that empty refusal, a problem goes out in its place. Every
/// other byte passes through unchanged and uncopied: there is no parsing of normal responses.
/// </summary>
internal static class KestrelRefusals
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    public static void AddKestrelRefusals(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o => o.ConfigureEndpointDefaults(listen =>
            listen.Use(next => connection =>
            {
                var watch = new ConnectionWatch(listen.ApplicationServices);
                connection.Features.Set(watch);
                return next(new WatchedConnection(connection, watch));
            })));
        services.AddHostedService<BadRequestListener>();
    }

    /// <summary>A refusal Kestrel announced: what it answers, and why.</summary>
    private sealed record Refusal(int Status, string Reason, bool Head);

    /// <summary>Hears Kestrel's announcements of this host (its own DiagnosticListener) and passes each to its connection.</summary>
    private sealed class BadRequestListener(DiagnosticListener diagnostics) : IHostedService, IObserver<KeyValuePair<string, object?>>
    {
        private IDisposable? _subscription;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _subscription = diagnostics.Subscribe(this, name => name == BadRequestEvent);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _subscription?.Dispose();
            return Task.CompletedTask;
        }

        /// <summary>
        /// Raised by Kestrel on the connection's own flow, before it writes its answer. Only a refusal whose answer has
        /// not started is held for: one raised while a handler already answers ends in a closed connection, not in an
        /// answer. HTTP/2 refuses with stream or connection errors, not with an answer, so there is nothing to replace.
        /// </summary>
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is not IFeatureCollection features
                || features.Get<ConnectionWatch>() is not { } watch
                || features.Get<IBadRequestExceptionFeature>()?.Error is not Microsoft.AspNetCore.Http.BadHttpRequestException bad
                || features.Get<IHttpResponseFeature>() is not { HasStarted: false }
                || features.Get<IHttpRequestFeature>() is not { } request
                || request.Protocol is "HTTP/2" or "HTTP/3")
                return;
            watch.Current?.Hold(new Refusal(bad.StatusCode, Reason(bad.Message), HttpMethods.IsHead(request.Method)));
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        /// <summary>
        /// Kestrel's reason without what it quotes from the request (<c>Invalid request line: '...'</c>): the request
        /// line may carry personal data, and the reason goes into the log.
        /// </summary>
        private static string Reason(string message) =>
            message.IndexOf(": '", StringComparison.Ordinal) is var quote and >= 0 ? message[..quote] + "." : message;
    }

    /// <summary>The connection's writer that is now in use, and the host it belongs to.</summary>
    private sealed class ConnectionWatch(IServiceProvider services)
    {
        public IServiceProvider Services { get; } = services;
        public RefusalWriter? Current { get; set; }

        public IDuplexPipe Watch(IDuplexPipe transport)
        {
            var watched = transport as WatchedPipe ?? new WatchedPipe(transport.Input, new RefusalWriter(transport.Output, this));
            Current = watched.Writer;
            return watched;
        }
    }

    private sealed class WatchedPipe(PipeReader input, RefusalWriter output) : IDuplexPipe
    {
        public RefusalWriter Writer { get; } = output;
        public PipeReader Input { get; } = input;
        public PipeWriter Output => Writer;
    }

    /// <summary>
    /// The connection as the middleware after this one sees it. Kestrel applies endpoint defaults before
    /// <c>UseHttps</c>, so this middleware runs outside TLS and its own transport carries ciphertext; the TLS
    /// middleware then sets its decrypted transport on the context it was given, this one, which watches that transport
    /// too. So HTTP always writes through a watched writer of plaintext, over http and https alike.
    /// </summary>
    private sealed class WatchedConnection : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly ConnectionWatch _watch;
        private IDuplexPipe _transport;

        public WatchedConnection(ConnectionContext inner, ConnectionWatch watch)
        {
            (_inner, _watch) = (inner, watch);
            _transport = watch.Watch(inner.Transport);
        }

        public override IDuplexPipe Transport
        {
            get => _transport;
            set => _transport = _watch.Watch(value);
        }

        public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }
        public override IFeatureCollection Features => _inner.Features;
        public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }
        public override CancellationToken ConnectionClosed { get => _inner.ConnectionClosed; set => _inner.ConnectionClosed = value; }
        public override EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }
        public override EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }
        public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);
        public override void Abort() => _inner.Abort();
        public override ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    /// <summary>
    /// Passes everything through to the transport, except after a refusal was announced: then what is written is held
    /// until the next flush, and replaced when it is Kestrel's empty refusal.
    /// </summary>
    private sealed class RefusalWriter(PipeWriter inner, ConnectionWatch watch) : PipeWriter
    {
        private Refusal? _refusal;
        private ArrayBufferWriter<byte>? _held;
        private bool _lentHeld;

        /// <summary>A second announcement before the flush (the body reader's, then the request's) keeps what is held.</summary>
        public void Hold(Refusal refusal)
        {
            _refusal = refusal;
            _held ??= new ArrayBufferWriter<byte>(1024);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            _lentHeld = _held is not null;
            return _held is { } held ? held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _lentHeld = _held is not null;
            return _held is { } held ? held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        }

        public override void Advance(int bytes)
        {
            if (_lentHeld) _held?.Advance(bytes);
            else inner.Advance(bytes);
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            _held is null ? inner.FlushAsync(cancellationToken) : ReleaseAndFlush(cancellationToken);

        private async ValueTask<FlushResult> ReleaseAndFlush(CancellationToken cancellationToken)
        {
            await Release();
            return await inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        /// <summary>Kestrel flushes its refusal before it completes; what is still held here goes out as written.</summary>
        public override void Complete(Exception? exception = null)
        {
            if (TakeHeld() is { } held) inner.Write(held.Bytes.WrittenSpan);
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            await Release();
            await inner.CompleteAsync(exception);
        }

        private (Refusal Refusal, ArrayBufferWriter<byte> Bytes)? TakeHeld()
        {
            if (_held is not { } held || _refusal is not { } refusal) return null;
            (_held, _refusal, _lentHeld) = (null, null, false);
            return (refusal, held);
        }

        private async Task Release()
        {
            if (TakeHeld() is not var (refusal, held)) return;
            if (EmptyRefusal.Read(held.WrittenSpan, refusal.Status) is { } kestrels)
                inner.Write(await Problem(refusal, kestrels));
            else
                inner.Write(held.WrittenSpan);
        }

        /// <summary>
        /// The problem in place of Kestrel's answer: its status line and headers (Date, Server, Connection: close, Allow
        /// for a 405) and the edge's own, with the body the problem details service writes for every other refusal.
        /// </summary>
        private async Task<byte[]> Problem(Refusal refusal, EmptyRefusal kestrels)
        {
            // A trace of its own: no request ran, so there is none to quote; the log line below carries the same id.
            using var activity = new Activity("KestrelRefusal").Start();
            var http = new DefaultHttpContext { RequestServices = watch.Services };
            using var body = new MemoryStream();
            http.Response.Body = body;
            http.Response.StatusCode = refusal.Status;
            await watch.Services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = refusal.Status,
                    Title = Title(refusal.Status),
                    Detail = $"The server refused the request before any service read it: {refusal.Reason}",
                },
            });
            HttpEdge.AddResponseHeaders(http);
            // A refusal describes one request, not a resource: no cache may keep it (414 and 405 are cacheable by default).
            http.Response.Headers.CacheControl = "no-store";
            watch.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KestrelRefusals))
                .LogInformation("Kestrel refused a request with {Status}: {Reason} (trace {TraceId})", refusal.Status, refusal.Reason, activity.Id);

            var head = new StringBuilder(kestrels.StatusLine).Append("\r\n");
            foreach (var line in kestrels.HeaderLines) head.Append(line).Append("\r\n");
            foreach (var (name, values) in http.Response.Headers)
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    foreach (var value in values) head.Append(name).Append(": ").Append(value).Append("\r\n");
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
            var headBytes = Encoding.Latin1.GetBytes(head.ToString());
            return refusal.Head ? headBytes : [.. headBytes, .. body.ToArray()];
        }

        private static string Title(int status) => status switch
        {
            StatusCodes.Status405MethodNotAllowed => "Method not allowed",
            StatusCodes.Status408RequestTimeout => "Request timeout",
            StatusCodes.Status413PayloadTooLarge => "Content too large",
            StatusCodes.Status414RequestUriTooLong => "URI too long",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "Request headers too large",
            StatusCodes.Status505HttpVersionNotsupported => "HTTP version not supported",
            _ => "Bad request",
        };
    }

    /// <summary>
    /// Kestrel's refusal as it writes it: exactly one header block of the announced status with
    /// <c>Content-Length: 0</c> and nothing after it. Anything else (an answer a handler wrote after the body it read
    /// turned out bad) is not it.
    /// </summary>
    private sealed record EmptyRefusal(string StatusLine, IReadOnlyList<string> HeaderLines)
    {
        public static EmptyRefusal? Read(ReadOnlySpan<byte> written, int status)
        {
            var text = Encoding.Latin1.GetString(written);
            if (!text.EndsWith("\r\n\r\n", StringComparison.Ordinal) || text.IndexOf("\r\n\r\n", StringComparison.Ordinal) != text.Length - 4)
                return null;
            var lines = text[..^4].Split("\r\n");
            if (!lines[0].StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal) && lines[0] != $"HTTP/1.1 {status}") return null;
            var headers = lines[1..];
            var lengths = headers.Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).ToList();
            if (lengths is not [var length] || length["Content-Length:".Length..].Trim() != "0"
                || headers.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)))
                return null;
            return new EmptyRefusal(lines[0], [.. headers.Where(h => !h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))]);
        }
    }
}
