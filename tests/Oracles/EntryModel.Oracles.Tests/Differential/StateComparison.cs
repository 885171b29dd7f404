using System.Globalization;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>Lists every way two final states differ: registers, the chosen RFLAGS bits, data buffer and stack window bytes.</summary>
public static class StateComparison
{
    public static IReadOnlyList<string> Differences(SandboxState expected, SandboxState actual, RflagsBits flagsCompared)
    {
        var differences = new List<string>();
        for (int i = 0; i < SandboxState.RegisterCount; i++)
        {
            if (expected.Registers[i] != actual.Registers[i])
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"%{SandboxState.RegisterName(i)}: 0x{expected.Registers[i]:x16} vs 0x{actual.Registers[i]:x16}"));
            }
        }

        ulong mask = (ulong)flagsCompared;
        if ((expected.Rflags & mask) != (actual.Rflags & mask))
        {
            var differing = (RflagsBits)((expected.Rflags ^ actual.Rflags) & mask);
            differences.Add(string.Create(CultureInfo.InvariantCulture,
                $"rflags: 0x{expected.Rflags & mask:x} vs 0x{actual.Rflags & mask:x} (differ in {differing})"));
        }

        AddBytes(differences, "data", SandboxLayout.DataAddress, expected.Data, actual.Data);
        AddBytes(differences, "stack", SandboxLayout.StackWindowAddress, expected.StackWindow, actual.StackWindow);
        return differences;
    }

    private static void AddBytes(List<string> differences, string area, ulong address, byte[] expected, byte[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{area} byte at 0x{address + (ulong)i:x}: 0x{expected[i]:x2} vs 0x{actual[i]:x2}"));
            }
        }
    }
}
