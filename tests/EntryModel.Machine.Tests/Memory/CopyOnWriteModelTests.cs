using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// Random writes, maps, unmaps, snapshots and restores, checked after every step against a plain
/// copy of every page kept per snapshot: copy-on-write sharing and frame recycling must never let
/// one snapshot see another's bytes.
/// </summary>
public class CopyOnWriteModelTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_operations_match_a_plain_copy_model(int seed)
    {
        var random = new Random(seed);
        var memory = new GuestMemory();
        ulong[] pages = [0x1000, 0x2000, 0x7fff_ffff_e000, 0xffff_ffff_8100_0000, 0xffff_c900_0000_3000, 0xffff_ffff_8100_1000];
        var reference = new Dictionary<ulong, byte[]>();
        var snapshots = new List<(MemorySnapshot Snap, Dictionary<ulong, byte[]> Pages)>();

        foreach (ulong p in pages.Take(3))
        {
            memory.Map(p, 0x1000, PagePermissions.Writable);
            reference[p] = new byte[0x1000];
        }

        for (int step = 0; step < 3000; step++)
        {
            int op = random.Next(100);
            ulong page = pages[random.Next(pages.Length)];
            if (op < 60 && reference.TryGetValue(page, out var bytes))
            {
                int off = random.Next(0x1000 - 8);
                ulong v = (ulong)random.NextInt64();
                memory.WriteUInt64(page + (ulong)off, v);
                BitConverter.TryWriteBytes(bytes.AsSpan(off), v);
            }
            else if (op < 68)
            {
                memory.Map(page, 0x1000, PagePermissions.Writable);
                reference[page] = new byte[0x1000];
            }
            else if (op < 72 && reference.Remove(page))
            {
                memory.Unmap(page, 0x1000);
            }
            else if (op < 86)
            {
                snapshots.Add((memory.Snapshot(), reference.ToDictionary(kv => kv.Key, kv => (byte[])kv.Value.Clone())));
            }
            else if (snapshots.Count > 0)
            {
                var (snap, saved) = snapshots[random.Next(snapshots.Count)];
                memory.Restore(snap);
                reference = saved.ToDictionary(kv => kv.Key, kv => (byte[])kv.Value.Clone());
            }

            foreach (ulong p in pages)
            {
                Assert.That(memory.IsMapped(p), Is.EqualTo(reference.ContainsKey(p)), $"step {step} page {p:x}");
                if (reference.TryGetValue(p, out var expected))
                {
                    Assert.That(memory.Read(p, 0x1000).AsSpan().SequenceEqual(expected), $"step {step} page {p:x}");
                }
            }

            Assert.That(memory.MappedPages, Is.EqualTo(reference.Count));
        }
    }

    /// <summary>
    /// What a sweep does: snapshots, then many restores of the latest one with guest writes (through
    /// the write TLB, as the CPU writes) and reads between them, now and then an older snapshot; also
    /// host writes and reads, frozen views (which must never change) and structural changes.
    /// A restore to the latest snapshot puts back only the pages written since the last restore,
    /// keeping the copies and the TLBs: after every step the memory must read as the plain model.
    /// </summary>
    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    public void Restores_to_the_latest_snapshot_between_guest_writes_match_a_plain_copy_model(int seed)
    {
        var random = new Random(seed);
        var memory = new GuestMemory();
        ulong[] pages = [0x1000, 0x2000, 0x3000, 0xffff_ffff_8100_0000, 0xffff_c900_0000_3000];
        var reference = new Dictionary<ulong, byte[]>();
        foreach (ulong p in pages)
        {
            memory.Map(p, 0x1000, PagePermissions.Writable);
            reference[p] = new byte[0x1000];
        }

        var snapshots = new List<(MemorySnapshot Snap, Dictionary<ulong, byte[]> Pages)>();
        var frozen = new List<(IMemoryReader View, ulong Page, byte[] Bytes)>();
        for (int step = 0; step < 4000; step++)
        {
            int op = random.Next(100);
            ulong page = pages[random.Next(pages.Length)];
            if (op < 70)
            {
                // Guest writes: the first one to a page goes the slow way, the rest hit the write TLB.
                int off = random.Next(0x1000 - 8) & ~7;
                ulong v = (ulong)random.NextInt64();
                Assert.That(memory.TryWrite64(page + (ulong)off, v), Is.True);
                BitConverter.TryWriteBytes(reference[page].AsSpan(off), v);
            }
            else if (op < 71)
            {
                // A host write (the scenario's own setup, a hypercall's reply).
                int off = random.Next(0x1000 - 8);
                ulong v = (ulong)random.NextInt64();
                memory.WriteUInt64(page + (ulong)off, v);
                BitConverter.TryWriteBytes(reference[page].AsSpan(off), v);
            }
            else if (op < 72)
            {
                // A frozen view (what a kept capture reads) must not move with later writes or restores.
                frozen.Add((memory.Freeze(), page, reference[page].ToArray()));
            }
            else if (op < 73)
            {
                // Same permissions, new page objects: a structural change the next restore must see.
                memory.Protect(page, 0x1000, PagePermissions.Writable);
            }
            else if (op < 75)
            {
                snapshots.Add((memory.Snapshot(), Copy(reference)));
            }
            else if (op < 96 && snapshots.Count > 0)
            {
                var (snap, saved) = snapshots[^1];
                memory.Restore(snap);
                reference = Copy(saved);
            }
            else if (snapshots.Count > 0)
            {
                var (snap, saved) = snapshots[random.Next(snapshots.Count)];
                memory.Restore(snap);
                reference = Copy(saved);
            }

            foreach (ulong p in pages)
            {
                for (int off = 0; off < 0x1000; off += 8)
                {
                    Assert.That(memory.TryRead64(p + (ulong)off, out ulong guest), Is.True);
                    if (guest != BitConverter.ToUInt64(reference[p], off))
                    {
                        Assert.Fail($"step {step}: guest read of {p + (ulong)off:x} gives {guest:x}, the model {BitConverter.ToUInt64(reference[p], off):x}");
                    }
                }

                Assert.That(memory.Read(p, 0x1000).AsSpan().SequenceEqual(reference[p]), $"step {step} page {p:x} (host read)");
                ulong word = (ulong)random.Next(0x1000 / 8) * 8;
                Assert.That(memory.TryReadUInt64(p + word, out ulong shown) && shown == BitConverter.ToUInt64(reference[p], (int)word), $"step {step} page {p:x} (host word read)");
            }

            foreach (var (view, p, bytes) in frozen)
            {
                var now = new byte[0x1000];
                Assert.That(view.TryRead(p, now) && now.AsSpan().SequenceEqual(bytes), $"step {step}: a frozen view of {p:x} changed");
            }
        }

        static Dictionary<ulong, byte[]> Copy(Dictionary<ulong, byte[]> pages) => pages.ToDictionary(kv => kv.Key, kv => (byte[])kv.Value.Clone());
    }
}
