namespace EntryModel;

/// <summary>
/// What an unwinder may do to a machine: read memory. A failed read (unmapped page) returns false,
/// never throws, so an unwinder following a corrupt chain stops instead of crashing.
/// </summary>
public interface IMemoryReader
{
    bool TryReadUInt64(ulong address, out ulong value);

    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>; false (contents unspecified) when any is unmapped.</summary>
    bool TryRead(ulong address, Span<byte> destination);

    /// <summary>
    /// The page this reader shows walks directly (the page of its last read), or null (the
    /// default) when it shows none: then every read goes through the calls above. One object for
    /// the reader's life (a walk takes it once, with the reader); whatever it shows must read
    /// exactly as <see cref="TryReadUInt64"/> would.
    /// </summary>
    PageWindow? Window => null;
}
