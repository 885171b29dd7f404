using EntryModel.Oracles.Tests.Unicorn;
using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// <see cref="UnicornExecutor"/> for the generated corpus, opening a fresh engine after any sequence that
/// contains a string instruction, a conditional branch (loop*, jrcxz) or popfq. Unicorn 2.0.1 keeps translated
/// blocks of such runs that uc_mem_write does not drop: the next sequence at the same address then runs
/// stale code (seen after <c>repne cmpsb</c>: a shorter sequence overran its stop address into the int3
/// filler; after <c>loop</c>/<c>loope</c>: after popfq likewise: wrong results and unmapped accesses in the next sequence, which
/// a fresh engine runs correctly). A fresh engine is cheap enough for the minority that need one.
/// </summary>
public sealed class FreshEngineUnicornExecutor : ISandboxExecutor
{
    private UnicornExecutor inner = new();

    public string Name => inner.Name;

    public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial)
    {
        try
        {
            return inner.Run(code, initial);
        }
        finally
        {
            if (LeavesStaleBlocks(code))
            {
                inner.Dispose();
                inner = new UnicornExecutor();
            }
        }
    }

    public void Dispose() => inner.Dispose();

    private static bool LeavesStaleBlocks(ReadOnlySpan<byte> code)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()), SandboxLayout.SequenceAddress);
        ulong end = SandboxLayout.SequenceAddress + (ulong)code.Length;
        while (decoder.IP < end)
        {
            decoder.Decode(out Instruction instruction);
            if (instruction.IsStringInstruction || instruction.FlowControl == FlowControl.ConditionalBranch || instruction.Mnemonic == Mnemonic.Popfq)
            {
                return true;
            }
        }

        return false;
    }
}
