using System.Collections.Immutable;
using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Tests.Validation;

/// <summary>
/// Thousands of hostile kernel texts through the validator: code built from the stack operations,
/// branches and returns validation follows (with random displacements, so branches land anywhere,
/// even inside instructions), random bytes, random function symbols and random hints. It never
/// throws, always ends, places every finding inside the text it was given, and writes ORC rows in
/// address order inside the text.
/// </summary>
public sealed class FrameValidatorFuzzTests
{
    private const int Inputs = 4000;
    private const ulong Base = 0xffffffff81000000UL;

    private static readonly byte[][] Alphabet =
    [
        [0x55], [0x5d], [0x53], [0x5b], [0x41, 0x54], [0x41, 0x5c], [0x48, 0x89, 0xe5], [0x48, 0x89, 0xec], [0xc9], [0xc3], [0x90],
        [0xcc], [0x0f, 0x0b], [0x48, 0x83, 0xec, 0x10], [0x48, 0x83, 0xc4, 0x10], [0x48, 0x83, 0xe4, 0xf0], [0x48, 0x89, 0xc4],
        [0x48, 0x89, 0xe0], [0x48, 0x8d, 0x64, 0x24, 0x08], [0x4c, 0x8d, 0x54, 0x24, 0x08], [0x49, 0x8d, 0x62, 0xf8], [0x0f, 0x07],
        [0x48, 0xcf], [0x9c], [0x9d], [0xff, 0xe0], [0xff, 0xd0], [0xfd], [0xfc], [0x48, 0x89, 0x5c, 0x24, 0x08], [0x48, 0x8b, 0x5c, 0x24, 0x08],
        [0x48, 0x89, 0x5d, 0xf8], [0x48, 0x8b, 0x5d, 0xf8], [0x48, 0x89, 0x20], [0x5c], [0x8f, 0x07], [0x6a, 0x01], [0x48, 0x01, 0xc4],
    ];

    [Test]
    public void Hostile_texts_never_throw_and_everything_reported_stays_inside_the_text()
    {
        var failures = new List<string>();
        int findings = 0, rows = 0;
        for (int seed = 0; seed < Inputs; seed++)
        {
            var unit = Unit(new Random(seed));
            ulong end = unit.Chunks.Items.Max(c => c.End);
            try
            {
                var result = FrameValidator.Validate(unit);
                findings += result.Findings.Count;
                rows += result.Orc.Count;
                // A hint naming no instruction is reported where it points, which may be anywhere.
                var outside = result.Findings.Where(f => f.Address < Base || f.Address > end).Where(f => !unit.Hints.Any(h => h.Address == f.Address)).ToList();
                if (outside.Count > 0)
                {
                    failures.Add($"seed {seed}: a finding outside the text: {outside[0]}");
                }

                var addresses = result.Orc.Select(r => r.Address).ToList();
                if (addresses.Zip(addresses.Skip(1)).Any(p => p.Second < p.First) || addresses.Any(a => a < Base || a > end))
                {
                    failures.Add($"seed {seed}: ORC rows out of order or outside the text");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"seed {seed}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(10)));
        Assert.That(findings, Is.GreaterThan(Inputs / 2), "the inputs break rules, not just pass through");
        Assert.That(rows, Is.GreaterThan(Inputs), "and many are followed far enough to write rows");
    }

    /// <summary>Odd seeds: hostile (random bytes, branches anywhere). Even seeds: well-formed code whose branches and calls land on instructions and functions, so validation goes deep.</summary>
    private static ValidationUnit Unit(Random random)
    {
        bool hostile = random.Next(2) == 1;
        var chunks = new List<CodeChunk>();
        var symbols = new List<ValidationSymbol>();
        var hints = new List<UnwindHint>();
        ulong at = Base;
        int chunkCount = random.Next(1, 4);
        for (int c = 0; c < chunkCount; c++)
        {
            // Lay the instructions out first; branches get their displacement once every start is known.
            var pieces = new List<(byte[] Bytes, int Kind)>();
            int instructions = random.Next(1, 60);
            for (int i = 0; i < instructions; i++)
            {
                int roll = random.Next(10);
                pieces.Add(roll switch
                {
                    0 => ([0xe8, 0, 0, 0, 0], 1),
                    1 => ([0xe9, 0, 0, 0, 0], 2),
                    2 => ([0x0f, (byte)(0x80 + random.Next(16)), 0, 0, 0, 0], 2),
                    3 when hostile => ([(byte)random.Next(256)], 0),
                    _ => (Alphabet[random.Next(Alphabet.Length)], 0),
                });
            }

            var starts = new List<int>();
            int length = 0;
            foreach (var p in pieces)
            {
                starts.Add(length);
                length += p.Bytes.Length;
            }

            var functionStarts = new List<int> { 0 };
            int functions = random.Next(0, 4);
            for (int f = 0; f < functions; f++)
            {
                int start = starts[random.Next(starts.Count)];
                functionStarts.Add(start);
                ulong size = hostile ? (ulong)random.Next(0, length - start + 8) : (ulong)(length - start);
                symbols.Add(new ValidationSymbol($"f{c}_{f}", at + (ulong)start, size, random.Next(4) != 0));
            }

            if (!hostile)
            {
                symbols.Add(new ValidationSymbol($"start{c}", at, 0, false));
            }

            var bytes = new List<byte>();
            for (int i = 0; i < pieces.Count; i++)
            {
                var (piece, kind) = pieces[i];
                byte[] copy = [.. piece];
                if (kind != 0)
                {
                    int target = hostile ? starts[i] + random.Next(-40, 40)
                        : kind == 1 ? functionStarts[random.Next(functionStarts.Count)]
                        : starts[random.Next(starts.Count)];
                    BitConverter.GetBytes(target - (starts[i] + copy.Length)).CopyTo(copy, copy.Length - 4);
                }

                bytes.AddRange(copy);
            }

            string section = c == 0 ? ".text" : ".entry.text";
            chunks.Add(new CodeChunk(section, at, new EquatableArray<byte>(bytes)));
            int hintCount = random.Next(0, 5);
            for (int h = 0; h < hintCount; h++)
            {
                ulong where = at + (ulong)(hostile && random.Next(3) == 0 ? random.Next(bytes.Count + 4) : starts[random.Next(starts.Count)]);
                int reg = hostile ? random.Next(0, 12) : new[] { 0, 4, 5, 9 }[random.Next(4)];
                int type = hostile ? random.Next(0, 8) : random.Next(0, 7);
                hints.Add(new UnwindHint(where, random.Next(-16, 200), reg, type, random.Next(4) == 0));
            }

            at += (ulong)bytes.Count + (ulong)(random.Next(2) == 0 ? 0 : random.Next(1, 64));
        }

        // The kernel's annotations, pointing anywhere in the text (or past it): alternatives
        // (some chained, one's original inside another's replacement), exception fixups,
        // intra-function calls and STACK_FRAME_NON_STANDARD functions.
        ulong textEnd = chunks.Max(c => c.End);
        ulong Anywhere() => Base + (ulong)random.Next(0, (int)(textEnd - Base) + 8);
        var alternatives = new List<AlternativeEntry>();
        int alternativeCount = random.Next(0, 6);
        ulong previousReplacement = Anywhere();
        for (int a = 0; a < alternativeCount; a++)
        {
            ulong original = random.Next(2) == 0 ? previousReplacement : Anywhere();
            previousReplacement = Anywhere();
            alternatives.Add(new AlternativeEntry(original, random.Next(0, 40), previousReplacement, random.Next(0, 40), Group: random.Next(4) != 0));
        }

        var intraCalls = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Anywhere()).Order().ToList();
        var ignored = symbols.Where(_ => random.Next(6) == 0).Select(s => s.Address).Order().ToList();
        return new ValidationUnit(
            "fuzz",
            0,
            new EquatableArray<CodeChunk>(chunks),
            new EquatableArray<ValidationSymbol>(symbols.OrderBy(s => s.Address).ToImmutableArray()),
            new EquatableArray<UnwindHint>(hints),
            random.Next(2) == 0,
            random.Next(2) == 0)
        {
            Alternatives = new EquatableArray<AlternativeEntry>([.. alternatives]),
            IntraFunctionCalls = new EquatableArray<ulong>([.. intraCalls]),
            IgnoredFunctions = new EquatableArray<ulong>([.. ignored]),
        };
    }

    /// <summary>Alternatives chained thousands deep: validation follows them without recursing that deep.</summary>
    [Test]
    public void Alternatives_chained_deep_end_with_a_finding_not_a_stack_overflow()
    {
        // 20,000 nops, each the original of an alternative whose (empty) replacement goes on to the next.
        const int Count = 20000;
        var bytes = Enumerable.Repeat((byte)0x90, Count).Append((byte)0xc3).ToArray();
        var alternatives = Enumerable.Range(0, Count).Select(i => new AlternativeEntry(Base + (ulong)i, 1, Base + (ulong)i + 1, 0)).ToArray();
        var unit = new ValidationUnit(
            "deep",
            0,
            new EquatableArray<CodeChunk>([new CodeChunk(".text", Base, new EquatableArray<byte>(bytes))]),
            new EquatableArray<ValidationSymbol>([new ValidationSymbol("f", Base, (ulong)bytes.Length, true)]),
            EquatableArray<UnwindHint>.Empty,
            FrameRules: true,
            Orc: true)
        {
            Alternatives = new EquatableArray<AlternativeEntry>(alternatives),
        };

        TextValidation? result = null;
        var thread = new Thread(() => result = FrameValidator.Validate(unit), 1 << 20);
        thread.Start();
        thread.Join();
        Assert.That(result!.Findings.Select(f => f.Message), Has.Some.Contains("alternatives nest"));
    }
}
