using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Makes the validation job of one strategy's linked image: its kernel text (every executable
/// section that is not user code), symbols and hints. The strategy's defines say which checks
/// apply, as kbuild's configuration picks objtool's flags: frame-pointer rules with
/// <c>CONFIG_FRAME_POINTER</c>, ORC rows with <c>CONFIG_UNWINDER_ORC</c>.
/// </summary>
internal static class ValidationPlanner
{
    public const string FramePointerDefine = "CONFIG_FRAME_POINTER";
    public const string OrcDefine = "CONFIG_UNWINDER_ORC";

    private const int Executable = 2;
    private const int User = 4;
    private const int FunctionKind = 0;

    public static bool WantsOrc(AssemblyResult result) => result.Defines.Contains(OrcDefine);

    /// <summary>Whether a chunk with these runtime <c>SectionPermissions</c> bits is kernel text: executable, not user code.</summary>
    public static bool IsKernelText(int permissions) => (permissions & Executable) != 0 && (permissions & User) == 0;

    /// <summary>
    /// The validation job of <paramref name="result"/>, and in <paramref name="stray"/> what the
    /// hint records already tell: hints naming no kernel text, bytes that make no whole record.
    /// </summary>
    public static ValidationUnit Plan(string modelKey, int strategyIndex, AssemblyResult result, out List<ValidationFinding> stray)
    {
        var symbols = new EquatableArray<ValidationSymbol>(result.Symbols.Items
            .Select(s => new ValidationSymbol(s.Name, s.Address, s.Size, s.Kind == FunctionKind) { IsDeclaration = s.IsDeclaration })
            .OrderBy(s => s.Address)
            .ThenBy(s => s.Name, StringComparer.Ordinal));
        var chunks = result.Chunks.Items.Where(c => IsKernelText(c.Permissions)).OrderBy(c => c.Address).Select(c => new CodeChunk(c.Section, c.Address, c.Bytes)).ToList();
        var hints = new List<UnwindHint>();
        stray = [];
        var records = UnwindHintTable.Read(result.Discarded, out int strayBytes);
        foreach (var h in records)
        {
            if (chunks.Any(c => h.Address >= c.Address && h.Address < c.End))
            {
                hints.Add(h);
            }
            else
            {
                stray.Add(new ValidationFinding(ValidationRule.BadHint, h.Address, $"unwind hint names 0x{h.Address:x}, which is in no kernel text section"));
            }
        }

        if (strayBytes > 0)
        {
            stray.Add(new ValidationFinding(ValidationRule.BadHint, 0, $"struct unwind_hint size mismatch: {strayBytes} bytes of {UnwindHintTable.Section} make no whole record"));
        }

        return new ValidationUnit(
            modelKey,
            strategyIndex,
            new EquatableArray<CodeChunk>(chunks),
            symbols,
            new EquatableArray<UnwindHint>(hints),
            result.Defines.Contains(FramePointerDefine),
            WantsOrc(result))
        {
            IntraFunctionCalls = new EquatableArray<ulong>(IntraFunctionCalls(result.Discarded, chunks)),
            IgnoredFunctions = new EquatableArray<ulong>(IgnoredFunctions(result.Discarded)),
            Alternatives = new EquatableArray<AlternativeEntry>(Alternatives(result.Chunks, chunks)),
        };
    }

    /// <summary>The section of <c>struct alt_instr</c> records, and its record size (s32, s32, u16, u8, u8).</summary>
    public const string AlternativesSection = ".altinstructions";

    /// <summary>The kernel's exception table: objtool reads it as alternatives too.</summary>
    public const string ExceptionTableSection = "__ex_table";

    private const int AlternativeRecordSize = 12;

    /// <summary>The <c>.altinstructions</c> records: two self-relative references, the feature bit, the two lengths.</summary>
    private static List<AlternativeEntry> Alternatives(IEnumerable<AssembledChunk> all, List<CodeChunk> text)
    {
        var entries = new List<AlternativeEntry>();
        foreach (var chunk in all)
        {
            if (chunk.Section != AlternativesSection)
            {
                continue;
            }

            var b = chunk.Bytes;
            for (int at = 0; at + AlternativeRecordSize <= b.Count; at += AlternativeRecordSize)
            {
                int orig = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
                int repl = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
                ulong original = chunk.Address + (ulong)at + (ulong)(long)orig;
                ulong replacement = chunk.Address + (ulong)(at + 4) + (ulong)(long)repl;
                if (text.Any(c => original >= c.Address && original < c.End))
                {
                    entries.Add(new AlternativeEntry(original, b[at + 10], replacement, b[at + 11]));
                }
            }
        }

        // Exception-table entries (struct exception_table_entry: s32 insn, s32 fixup, s32 data).
        foreach (var chunk in all)
        {
            if (chunk.Section != ExceptionTableSection)
            {
                continue;
            }

            var b = chunk.Bytes;
            for (int at = 0; at + 12 <= b.Count; at += 12)
            {
                int insn = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
                int fixup = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
                ulong faulting = chunk.Address + (ulong)at + (ulong)(long)insn;
                ulong handler = chunk.Address + (ulong)(at + 4) + (ulong)(long)fixup;
                if (text.Any(c => faulting >= c.Address && faulting < c.End))
                {
                    entries.Add(new AlternativeEntry(faulting, 0, handler, 0, Group: false));
                }
            }
        }

        return entries;
    }

    /// <summary>The functions STACK_FRAME_NON_STANDARD names: <c>.quad func</c> records, relocated whole.</summary>
    private static List<ulong> IgnoredFunctions(IEnumerable<AssembledChunk> discarded)
    {
        var functions = new List<ulong>();
        foreach (var chunk in discarded)
        {
            if (chunk.Section != ".discard.func_stack_frame_non_standard")
            {
                continue;
            }

            var b = chunk.Bytes;
            for (int at = 0; at + 8 <= b.Count; at += 8)
            {
                ulong address = 0;
                for (int k = 7; k >= 0; k--)
                {
                    address = (address << 8) | b[at + k];
                }

                functions.Add(address);
            }
        }

        functions.Sort();
        return functions;
    }

    /// <summary>
    /// The annotated intra-function calls: <c>.long</c> records of the call's address. The field
    /// holds its low 32 bits (ld never relocates a discarded section); the address is the kernel
    /// text one they name, sign-extended as kernel addresses are, else zero-extended.
    /// </summary>
    private static List<ulong> IntraFunctionCalls(IEnumerable<AssembledChunk> discarded, List<CodeChunk> text)
    {
        var calls = new List<ulong>();
        foreach (var chunk in discarded)
        {
            if (chunk.Section != ".discard.intra_function_calls")
            {
                continue;
            }

            var b = chunk.Bytes;
            for (int at = 0; at + 4 <= b.Count; at += 4)
            {
                int low = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
                ulong signed = unchecked((ulong)(long)low);
                ulong zero = unchecked((uint)low);
                calls.Add(text.Any(c => signed >= c.Address && signed < c.End) ? signed : zero);
            }
        }

        calls.Sort();
        return calls;
    }
}
