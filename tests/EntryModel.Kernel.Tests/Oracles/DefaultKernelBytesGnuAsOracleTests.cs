using System.Globalization;

namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>
/// Oracle: GNU as (binutils) and ld. For every frame strategy, the image the source generator built
/// from the default model holds, for every declaration, exactly the bytes GNU as + ld produce from
/// the same GAS text, at the same addresses. A difference is a generator bug, named by declaration.
/// </summary>
public class DefaultKernelBytesGnuAsOracleTests
{
    private static IEnumerable<string> Strategies() => KernelModelText.Strategies.Select(s => s.Name);

    [TestCaseSource(nameof(Strategies))]
    public void Every_declaration_assembles_to_the_bytes_gnu_as_produces(string strategy)
    {
        var build = GnuAsKernelBuild.Of(strategy);
        var image = DefaultKernel.GetImage(strategy);
        var differences = new List<string>();
        foreach (var section in build.Sections.Where(s => s.Bytes.Length > 0))
        {
            byte[] generated = ImageBytes(image, section.Address, section.Bytes.Length);
            for (int i = 0; i < section.Bytes.Length; i++)
            {
                if (generated[i] != section.Bytes[i])
                {
                    differences.Add(Describe(build, section.Address + (ulong)i, section.Bytes, generated, i));
                    break;
                }
            }
        }

        Assert.That(build.Sections.Sum(s => s.Bytes.Length), Is.GreaterThan(0x1000), "GNU as built the model");
        Assert.That(differences, Is.Empty, string.Join('\n', differences));
    }

    [TestCaseSource(nameof(Strategies))]
    public void Every_declaration_sits_where_ld_puts_it(string strategy)
    {
        var build = GnuAsKernelBuild.Of(strategy);
        var image = DefaultKernel.GetImage(strategy);
        foreach (var decl in KernelModelText.Declarations.Where(d => build.CodeLengths.GetValueOrDefault(d.Name, 1) > 0))
        {
            Assert.That(image.Symbols[decl.Name].Address, Is.EqualTo(build.Symbols[decl.Name]), decl.Name);
        }
    }

    /// <summary>The image's bytes over [address, address + length); bytes no chunk covers read as a marker that never matches silently (0xf1, an unused opcode byte in the model).</summary>
    private static byte[] ImageBytes(KernelImage image, ulong address, int length)
    {
        byte[] bytes = Enumerable.Repeat((byte)0xf1, length).ToArray();
        foreach (var chunk in image.Chunks)
        {
            ulong start = Math.Max(chunk.Address, address);
            ulong end = Math.Min(chunk.End, address + (ulong)length);
            if (start < end)
            {
                chunk.Bytes.AsSpan((int)(start - chunk.Address), (int)(end - start)).CopyTo(bytes.AsSpan((int)(start - address)));
            }
        }

        return bytes;
    }

    /// <summary>Which declaration holds the first differing byte, and both sides' bytes from there.</summary>
    private static string Describe(GnuAsKernelBuild build, ulong address, byte[] expected, byte[] actual, int index)
    {
        var (name, start) = build.Symbols
            .Where(s => KernelModelText.Declarations.Any(d => d.Name == s.Key) && s.Value <= address)
            .Select(s => (Name: s.Key, Start: s.Value))
            .DefaultIfEmpty((Name: "?", Start: address))
            .MaxBy(s => s.Start);
        int n = Math.Min(8, expected.Length - index);
        var instruction = build.Instructions.Where(i => i.Address <= address).MaxBy(i => i.Address);
        return string.Create(CultureInfo.InvariantCulture, $"{name}+0x{address - start:x} ({instruction.Text}): as {Convert.ToHexString(expected, index, n)}, generator {Convert.ToHexString(actual, index, n)}");
    }
}
