using System;
using System.Collections.Generic;
using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Serializes one strategy's image into the compact binary form the runtime's
/// <c>EntryModel.KernelImageBlob</c> reads (see there for the layout). Generated code then holds one
/// base64 string per image instead of tables of literals: a fraction of the text to write and to compile.
/// </summary>
internal static class ImageBlobWriter
{
    public const int Version = 4;

    public static byte[] Write(ModelSource model, AssemblyResult result, TextValidation? validation = null)
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

        WriteOrc(body, result, validation);
        var findings = validation?.Findings ?? EquatableArray<ValidationFinding>.Empty;
        body.Count(findings.Count);
        foreach (var finding in findings)
        {
            body.Count(strings.IndexOf(ValidationDiagnostics.IdOf(finding.Rule)));
            body.Count(strings.IndexOf(finding.Rule.ToString()));
            body.UInt64(finding.Address);
            body.Count(strings.IndexOf(finding.Message));
        }

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

    /// <summary>
    /// The ORC rows, when the strategy asked for them: the kernel text's bounds (the lookup table's
    /// range), then each row's address as a delta and its packed <c>struct orc_entry</c>. Rows at the
    /// same address keep the last (a run's end meeting the next run's start).
    /// </summary>
    private static void WriteOrc(Writer body, AssemblyResult result, TextValidation? validation)
    {
        if (validation is null || validation.Orc.Count == 0)
        {
            body.Count(0);
            return;
        }

        ulong start = ulong.MaxValue, end = 0;
        foreach (var chunk in result.Chunks)
        {
            if (ValidationPlanner.IsKernelText(chunk.Permissions))
            {
                start = Math.Min(start, chunk.Address);
                end = Math.Max(end, chunk.Address + (ulong)chunk.Bytes.Count);
            }
        }

        var rows = new List<OrcRow>();
        foreach (var row in validation.Orc)
        {
            if (rows.Count > 0 && rows[rows.Count - 1].Address == row.Address)
            {
                rows[rows.Count - 1] = row;
            }
            else
            {
                rows.Add(row);
            }
        }

        body.Count(1);
        body.UInt64(start);
        body.UInt64(end);
        body.Count(rows.Count);
        ulong at = start;
        foreach (var row in rows)
        {
            body.Signed(unchecked((long)(row.Address - at)));
            at = row.Address;
            body.Bytes(Pack(row));
        }
    }

    /// <summary>The kernel's little-endian <c>struct orc_entry</c>: s16 sp_offset, s16 bp_offset, sp_reg:4 bp_reg:4, type:2 end:1.</summary>
    public static byte[] Pack(OrcRow row) =>
    [
        (byte)row.SpOffset, (byte)(row.SpOffset >> 8),
        (byte)row.BpOffset, (byte)(row.BpOffset >> 8),
        (byte)((row.SpReg & 0xf) | ((row.BpReg & 0xf) << 4)),
        (byte)((row.Type & 0x3) | (row.End ? 0x4 : 0)),
    ];

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
