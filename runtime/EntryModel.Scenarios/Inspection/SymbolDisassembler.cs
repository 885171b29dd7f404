using Iced.Intel;

namespace EntryModel.Scenarios.Inspection;

/// <summary>
/// Disassembles one symbol of an image in AT&amp;T syntax (Iced's GAS formatter), with branch and
/// call targets, and addresses inside other symbols, printed by name. Runs of the same one-byte
/// filler (the nops and int3s that stand for code the 2016 functions had) fold into one line.
/// </summary>
public static class SymbolDisassembler
{
    private const int FoldAtLeast = 4;

    public static IReadOnlyList<DisassemblyLine> Disassemble(KernelImage image, Symbol symbol)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] code = ImageBytes.TryRead(image, symbol.Address, checked((int)symbol.Size)) ?? [];
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code), symbol.Address);
        var formatter = new GasFormatter(new ImageSymbolResolver(image.Symbols));
        formatter.Options.FirstOperandCharIndex = 7;
        formatter.Options.UppercaseHex = false;

        // Spelled as objdump spells AT&T (the oracle tests hold the two side by side): every number in
        // hex, and RIP-relative operands as sym(%rip) (a bare symbol is an absolute address in GAS).
        formatter.Options.SmallHexNumbersInDecimal = false;
        formatter.Options.RipRelativeAddresses = true;
        var output = new StringOutput();

        var lines = new List<DisassemblyLine>();
        while (decoder.IP < symbol.Address + (ulong)code.Length)
        {
            ulong ip = decoder.IP;
            decoder.Decode(out var instruction);
            formatter.Format(instruction, output);
            string text = instruction.IsInvalid ? "(bad)" : output.ToStringAndReset();
            byte[] bytes = code.AsSpan((int)(ip - symbol.Address), instruction.Length).ToArray();
            if (lines.Count > 0 && bytes.Length == 1 && lines[^1].Bytes.Length == 1 && lines[^1].Bytes[0] == bytes[0])
            {
                lines[^1] = lines[^1] with { Repeat = lines[^1].Repeat + 1 };
                continue;
            }

            lines.Add(new DisassemblyLine(ip, bytes, text));
        }

        // Unfold short runs: only long filler runs are worth folding.
        return [.. lines.SelectMany(l => l.Repeat is > 1 and < FoldAtLeast
            ? Enumerable.Range(0, l.Repeat).Select(i => l with { Address = l.Address + (ulong)i, Repeat = 1 })
            : [l])];
    }
}
