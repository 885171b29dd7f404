using System;
using System.Collections.Generic;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Serializes one strategy's image into the compact binary form the runtime's
/// <c>EntryModel.KernelImageBlob</c> reads (see there for the layout). Generated code then holds one
/// base64 string per image instead of tables of literals: a fraction of the text to write and to compile.
/// </summary>
internal static class ImageBlobWriter
{
    public const int Version = 3;

    public static byte[] Write(ModelSource model, AssemblyResult result)
    {
        var strings = new StringTable();
        var body = new Writer();

        body.Count(strings.IndexOf(model.ClassName));
        body.Count(strings.IndexOf(result.Strategy));
        body.Count(result.Description == null ? 0 : strings.IndexOf(result.Description) + 1);
        body.Count(result.Defines.Count);
        foreach (var define in result.Defines)
        {
            body.Count(strings.IndexOf(define));
        }

        body.Count(result.Chunks.Count);
        foreach (var chunk in result.Chunks)
        {
            body.Count(strings.IndexOf(chunk.Section));
            body.UInt64(chunk.Address);
            body.Count(chunk.Permissions);
            body.Count(chunk.Bytes.Count);
            body.Bytes(chunk.Bytes);
        }

        ulong at = 0;
        body.Count(result.Symbols.Count);
        foreach (var symbol in result.Symbols)
        {
            body.Count(strings.IndexOf(symbol.Name));
            body.Signed(unchecked((long)(symbol.Address - at)));
            at = symbol.Address;
            body.Unsigned(symbol.Size);
            body.Count(symbol.Kind);
            body.Count(strings.IndexOf(symbol.Section));
        }

        at = 0;
        body.Count(result.Relocations.Count);
        foreach (var relocation in result.Relocations)
        {
            body.Signed(unchecked((long)(relocation.Address - at)));
            at = relocation.Address;
            body.Count(relocation.Kind);
            body.Count(strings.IndexOf(relocation.Symbol));
            body.Signed(relocation.Addend);
        }

        at = 0;
        body.Count(result.Lines.Count);
        foreach (var line in result.Lines)
        {
            bool known = line.DeclarationIndex >= 0 && line.DeclarationIndex < model.Declarations.Count;
            var declaration = known ? model.Declarations[line.DeclarationIndex] : null;
            body.Signed(unchecked((long)(line.Address - at)));
            at = line.Address;
            body.Count(line.Length);
            body.Count(strings.IndexOf(declaration?.Name ?? string.Empty));
            body.Count(line.Line);
            body.Count(strings.IndexOf(declaration?.Location.FilePath ?? string.Empty));
            body.Count(declaration?.Location.FileLineOf(line.Line) ?? 0);
            body.Count(strings.IndexOf(line.Text));
            body.Count(strings.IndexOf(line.MacroStack));
        }

        body.Count(result.Gates.Count);
        foreach (var gate in result.Gates)
        {
            body.Count(gate.Vector);
            body.Count(strings.IndexOf(gate.Stub));
            body.UInt64(gate.Address);
            body.Count(gate.Handler == null ? 0 : strings.IndexOf(gate.Handler) + 1);
            body.Count((gate.ErrorCode ? 1 : 0) | (gate.Interrupt ? 2 : 0));
            body.Count(gate.Ist);
            body.Count(gate.Dpl);
        }

        body.Count(result.SyscallEntry == null ? 0 : strings.IndexOf(result.SyscallEntry) + 1);

        body.Count(result.Constants.Count);
        foreach (var constant in result.Constants)
        {
            body.Count(strings.IndexOf(constant.Name));
            body.Signed(constant.Value);
        }

        // ORC tables: none until the validation pass writes them.
        body.Count(0);

        // Header and string table go first, so the reader can resolve indices as it goes.
        var head = new Writer();
        head.Bytes(new[] { (byte)'E', (byte)'M', (byte)'I', (byte)'B', (byte)Version });
        head.Count(strings.Strings.Count);
        foreach (var s in strings.Strings)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            head.Count(utf8.Length);
            head.Bytes(utf8);
        }

        return head.Concat(body);
    }

    private sealed class Writer
    {
        private readonly List<byte> bytes = new List<byte>(4096);

        public void Unsigned(ulong value)
        {
            while (value >= 0x80)
            {
                bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            bytes.Add((byte)value);
        }

        public void Signed(long value) => Unsigned(unchecked((ulong)((value << 1) ^ (value >> 63))));

        public void Count(int value) => Unsigned(unchecked((ulong)Math.Max(0, value)));

        public void UInt64(ulong value)
        {
            for (int i = 0; i < 8; i++)
            {
                bytes.Add((byte)(value >> (8 * i)));
            }
        }

        public void Bytes(byte[] values) => bytes.AddRange(values);

        public void Bytes(EquatableArray<byte> values) => bytes.AddRange(values.Items);

        public byte[] Concat(Writer tail)
        {
            var result = new byte[bytes.Count + tail.bytes.Count];
            bytes.CopyTo(result, 0);
            tail.bytes.CopyTo(result, bytes.Count);
            return result;
        }
    }
}
