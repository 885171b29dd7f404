namespace EntryModel.Scenarios.Inspection;

/// <summary>One disassembled instruction (or a run of identical one-byte fillers folded into one line).</summary>
public sealed record DisassemblyLine(ulong Address, byte[] Bytes, string Text, int Repeat = 1)
{
    public override string ToString()
    {
        string bytes = Convert.ToHexString(Bytes).ToLowerInvariant();
        string spaced = string.Join(' ', Enumerable.Range(0, bytes.Length / 2).Select(i => bytes.Substring(i * 2, 2)));
        string repeat = Repeat > 1 ? $"   (x{Repeat}, up to {Address + (ulong)(Repeat * Bytes.Length):x})" : string.Empty;
        return $"{Address:x16}:  {spaced,-30} {Text}{repeat}";
    }
}
