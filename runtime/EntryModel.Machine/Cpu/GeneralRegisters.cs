using System.Runtime.CompilerServices;

namespace EntryModel.Machine.Cpu;

/// <summary>Inline storage for the sixteen GPRs, so copying a <see cref="CpuState"/> copies them without allocating.</summary>
[InlineArray(16)]
public struct GeneralRegisters
{
    private ulong element;
}
