namespace SocialDomain.Provisions.IStandaarden;

/// <summary>Thrown by <see cref="SizeLimitedStream"/> as soon as the body turns out to be longer than allowed.</summary>
internal sealed class BodyTooLargeException(long maxBytes)
    : IOException($"The message is larger than the limit of {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>
/// A read-only, forward-only view of a body that never asks the source for more than <c>maxBytes + 1</c> bytes in total,
/// and throws <see cref="BodyTooLargeException"/> once it has seen that one byte too many.
/// </summary>
internal sealed class SizeLimitedStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Asks for at most one byte beyond the limit: enough to know that the body is too large.</summary>
    private int Allowed(int requested) => (int)Math.Min(requested, maxBytes - _read + 1);

    private int Count(int n)
    {
        _read += n;
        if (_read > maxBytes)
            throw new BodyTooLargeException(maxBytes);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
