using System.Collections.Generic;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Reads the kernel's unwind hint records from a linked image's discarded <c>.discard.unwind_hints</c>
/// section: 12 bytes each, a 32-bit self-relative reference to the instruction, then s16 sp_offset,
/// u8 sp_reg, u8 type, u8 end and padding (<c>struct unwind_hint</c>). The reference is resolved by
/// the linker like any <c>.long 1b - .</c>, so the instruction is at the field's address plus its value.
/// </summary>
internal static class UnwindHintTable
{
    public const string Section = ".discard.unwind_hints";

    public const int RecordSize = 12;

    /// <summary>The hints in record order, and how many trailing bytes did not make a whole record.</summary>
    public static List<UnwindHint> Read(IEnumerable<AssembledChunk> discarded, out int strayBytes)
    {
        var hints = new List<UnwindHint>();
        strayBytes = 0;
        foreach (var chunk in discarded)
        {
            if (chunk.Section != Section)
            {
                continue;
            }

            var b = chunk.Bytes;
            int whole = b.Count / RecordSize * RecordSize;
            strayBytes += b.Count - whole;
            for (int at = 0; at < whole; at += RecordSize)
            {
                ulong ip = AnnotationTables.SelfRelative(chunk, at);
                hints.Add(new UnwindHint(ip, AnnotationTables.Int16(b, at + 4), b[at + 6], b[at + 7], b[at + 8] != 0));
            }
        }

        return hints;
    }
}
