using System.Globalization;
using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>Encodes instructions for <see cref="SandboxLayout.SequenceAddress"/> and prints them in AT&amp;T syntax.</summary>
public static class SequenceCode
{
    public static byte[] Encode(IReadOnlyList<Instruction> instructions)
    {
        var writer = new CodeWriterImpl();
        var encoder = Encoder.Create(64, writer);
        ulong address = SandboxLayout.SequenceAddress;
        foreach (Instruction instruction in instructions)
        {
            if (!encoder.TryEncode(instruction, address, out uint length, out string? error))
            {
                throw new ArgumentException($"Cannot encode {FormatOne(instruction)}: {error}", nameof(instructions));
            }

            address += length;
        }

        return writer.ToArray();
    }

    /// <summary>Encodes GNU-as-free Iced assembler output (used by hand-written known-answer tests).</summary>
    public static byte[] Assemble(Action<Assembler> emit)
    {
        var assembler = new Assembler(64);
        emit(assembler);
        var writer = new CodeWriterImpl();
        assembler.Assemble(writer, SandboxLayout.SequenceAddress);
        return writer.ToArray();
    }

    /// <summary>One instruction per line, AT&amp;T syntax, with its address.</summary>
    public static string Format(ReadOnlySpan<byte> code)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()), SandboxLayout.SequenceAddress);
        var text = new System.Text.StringBuilder();
        ulong end = SandboxLayout.SequenceAddress + (ulong)code.Length;
        while (decoder.IP < end)
        {
            ulong address = decoder.IP;
            Instruction instruction = decoder.Decode();
            text.Append(CultureInfo.InvariantCulture, $"  {address:x}:  {FormatOne(instruction)}\n");
        }

        return text.ToString();
    }

    public static string FormatOne(in Instruction instruction)
    {
        var formatter = new GasFormatter();
        var output = new StringOutput();
        formatter.Format(instruction, output);
        return output.ToStringAndReset();
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private readonly List<byte> bytes = [];

        public override void WriteByte(byte value) => bytes.Add(value);

        public byte[] ToArray() => [.. bytes];
    }
}
