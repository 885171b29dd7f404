using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Reads the tables kernel code leaves for objtool in a linked image: alternatives
/// (<c>.altinstructions</c>), exception fixups (<c>__ex_table</c>), annotated intra-function calls
/// and STACK_FRAME_NON_STANDARD functions. Each is an array of fixed-size records in one section;
/// self-relative fields (<c>.long 1b - .</c>) were resolved by the linker like any other.
/// </summary>
internal static class AnnotationTables
{
    public const string Alternatives = ".altinstructions";
    public const string ExceptionTable = "__ex_table";
    public const string IntraFunctionCalls = ".discard.intra_function_calls";
    public const string NonStandardFrames = ".discard.func_stack_frame_non_standard";

    /// <summary>
    /// <c>struct alt_instr</c> (s32 original, s32 replacement, u16 feature, u8 and u8 lengths) and
    /// <c>struct exception_table_entry</c> (s32 instruction, s32 fixup, s32 data) whose original is kernel text.
    /// </summary>
    public static List<AlternativeEntry> AlternativesOf(IEnumerable<AssembledChunk> all, List<CodeChunk> text)
    {
        var entries = new List<AlternativeEntry>();
        foreach (var (chunk, at) in Records(all, Alternatives, 12))
        {
            ulong original = SelfRelative(chunk, at);
            if (InText(text, original))
            {
                entries.Add(new AlternativeEntry(original, chunk.Bytes[at + 10], SelfRelative(chunk, at + 4), chunk.Bytes[at + 11]));
            }
        }

        foreach (var (chunk, at) in Records(all, ExceptionTable, 12))
        {
            ulong faulting = SelfRelative(chunk, at);
            if (InText(text, faulting))
            {
                entries.Add(new AlternativeEntry(faulting, 0, SelfRelative(chunk, at + 4), 0, Group: false));
            }
        }

        return entries;
    }

    /// <summary>The functions STACK_FRAME_NON_STANDARD names: <c>.quad func</c> records, relocated whole.</summary>
    public static List<ulong> NonStandardFramesOf(IEnumerable<AssembledChunk> discarded)
    {
        var functions = Records(discarded, NonStandardFrames, 8).Select(r => (ulong)Int64(r.Chunk.Bytes, r.At)).ToList();
        functions.Sort();
        return functions;
    }

    /// <summary>
    /// The annotated intra-function calls: <c>.long</c> records of the call's address. The field
    /// holds its low 32 bits (ld never relocates a discarded section); the address is the kernel
    /// text one they name, sign-extended as kernel addresses are, else zero-extended.
    /// </summary>
    public static List<ulong> IntraFunctionCallsOf(IEnumerable<AssembledChunk> discarded, List<CodeChunk> text)
    {
        var calls = new List<ulong>();
        foreach (var (chunk, at) in Records(discarded, IntraFunctionCalls, 4))
        {
            int low = Int32(chunk.Bytes, at);
            ulong signed = unchecked((ulong)(long)low);
            calls.Add(InText(text, signed) ? signed : unchecked((uint)low));
        }

        calls.Sort();
        return calls;
    }

    /// <summary>Every whole record of <paramref name="size"/> bytes in the chunks of <paramref name="section"/>.</summary>
    public static IEnumerable<(AssembledChunk Chunk, int At)> Records(IEnumerable<AssembledChunk> chunks, string section, int size)
    {
        foreach (var chunk in chunks)
        {
            if (chunk.Section != section)
            {
                continue;
            }

            for (int at = 0; at + size <= chunk.Bytes.Count; at += size)
            {
                yield return (chunk, at);
            }
        }
    }

    /// <summary>The address a resolved <c>.long target - .</c> at <paramref name="at"/> names.</summary>
    public static ulong SelfRelative(AssembledChunk chunk, int at) => chunk.Address + (ulong)at + (ulong)(long)Int32(chunk.Bytes, at);

    public static int Int32(EquatableArray<byte> b, int at) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

    public static short Int16(EquatableArray<byte> b, int at) => (short)(b[at] | (b[at + 1] << 8));

    private static long Int64(EquatableArray<byte> b, int at) => (uint)Int32(b, at) | ((long)Int32(b, at + 4) << 32);

    private static bool InText(List<CodeChunk> text, ulong address) => text.Any(c => address >= c.Address && address < c.End);
}
