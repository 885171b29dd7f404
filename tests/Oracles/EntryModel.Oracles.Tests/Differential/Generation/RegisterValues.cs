namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>Random 64-bit values biased towards the edges where flag and extension bugs hide.</summary>
public static class RegisterValues
{
    private static readonly ulong[] Edges =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1,
    ];

    public static ulong Next(Random random) => random.Next(8) switch
    {
        0 or 1 => Edges[random.Next(Edges.Length)],
        2 => (ulong)random.Next(-16, 17),
        3 => (uint)random.NextInt64(),
        4 => Edges[random.Next(Edges.Length)] ^ (1UL << random.Next(64)),
        _ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33),
    };
}
