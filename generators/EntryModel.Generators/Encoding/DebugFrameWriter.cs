using System.Collections.Generic;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// A laid-out declaration's call frames as GNU as writes them into <c>.debug_frame</c> (dw2gencfi's
/// select_cie_for_fde, output_cie and output_fde): each frame's instructions, the machine's
/// initial rule first, go to an earlier CIE whose instructions begin them, else to a new CIE
/// holding those before the first advance; the FDE has the rest; each entry is padded with
/// DW_CFA_nop to the address size. Fields that name places are left to
/// fixups: the CIE pointer (section-relative) and the initial location.
/// </summary>
internal static class DebugFrameWriter
{
    private const byte AdvanceLoc = 0x40;
    private const byte AdvanceLoc1 = 0x02;
    private const byte AdvanceLoc2 = 0x03;
    private const byte AdvanceLoc4 = 0x04;
    private const byte OffsetOp = 0x80;
    private const byte RestoreOp = 0xc0;
    private const byte OffsetExtended = 0x05;
    private const byte RestoreExtended = 0x06;
    private const byte UndefinedOp = 0x07;
    private const byte SameValueOp = 0x08;
    private const byte RememberStateOp = 0x0a;
    private const byte RestoreStateOp = 0x0b;
    private const byte DefCfaOp = 0x0c;
    private const byte DefCfaRegisterOp = 0x0d;
    private const byte DefCfaOffsetOp = 0x0e;
    private const byte OffsetExtendedSf = 0x11;
    private const byte DefCfaSf = 0x12;
    private const byte DefCfaOffsetSf = 0x13;

    /// <summary>A field of the section a fixup fills: at <see cref="Offset"/>, <see cref="Size"/> bytes of the frame's start (<see cref="Frame"/> &gt;= 0) or of the CIE's place in the section (<see cref="Frame"/> -1, plus <see cref="Addend"/>).</summary>
    internal readonly record struct Field(long Offset, int Size, int Frame, long Addend);

    /// <summary>The section's bytes and the fields to fix up.</summary>
    public static (byte[] Bytes, List<Field> Fields) Write(IReadOnlyList<CallFrame> frames, int addressSize)
    {
        int dataAlign = -addressSize;
        var bytes = new List<byte>();
        var fields = new List<Field>();
        var cies = new List<(List<CallFrameStep> Steps, long Offset)>();
        for (int n = 0; n < frames.Count; n++)
        {
            var frame = frames[n];
            long start = frame.Start.Offset;
            var steps = Initial(frame, addressSize);
            steps.AddRange(frame.Steps);

            // A CIE whose instructions begin the frame's serves it; else a new one takes the
            // frame's instructions up to its first advance or .cfi_remember_state.
            int leading = 0;
            while (leading < steps.Count && steps[leading].At.Offset == start && steps[leading].Op != CallFrameOp.RememberState)
            {
                leading++;
            }

            long cie = -1;
            int first = 0;
            foreach (var known in cies)
            {
                if (known.Steps.Count <= leading && SameSteps(known.Steps, steps.GetRange(0, known.Steps.Count)))
                {
                    cie = known.Offset;
                    first = known.Steps.Count;
                    break;
                }
            }

            if (cie < 0)
            {
                cie = bytes.Count;
                first = leading;
                cies.Add((steps.GetRange(0, leading), cie));
                var body = new List<byte> { 0xff, 0xff, 0xff, 0xff, 1, 0 };
                Uleb(body, 1);
                Sleb(body, dataAlign);
                body.Add((byte)ReturnAddress(addressSize));
                foreach (var step in steps.GetRange(0, leading))
                {
                    Instruction(body, step, dataAlign);
                }

                Emit(bytes, body, addressSize);
            }

            var fde = new List<byte>();
            fields.Add(new Field(bytes.Count + 4, 4, -1, cie));
            fde.AddRange(new byte[4]);
            fields.Add(new Field(bytes.Count + 8, addressSize, n, 0));
            fde.AddRange(new byte[addressSize]);
            long range = (frame.End?.Offset ?? start) - start;
            for (int k = 0; k < addressSize; k++)
            {
                fde.Add((byte)(range >> (8 * k)));
            }

            long at = start;
            for (int i = first; i < steps.Count; i++)
            {
                var step = steps[i];
                if (step.At.Offset != at)
                {
                    Advance(fde, step.At.Offset - at);
                    at = step.At.Offset;
                }

                Instruction(fde, step, dataAlign);
            }

            Emit(bytes, fde, addressSize);
        }

        return (bytes.ToArray(), fields);
    }

    private static int ReturnAddress(int addressSize) => addressSize == 4 ? 8 : 16;

    /// <summary>
    /// The machine's rule at a function's entry (GNU as's tc_cfi_frame_initial_instructions): CFA =
    /// SP + address size, return address at CFA - address size; none for <c>.cfi_startproc simple</c>.
    /// </summary>
    private static List<CallFrameStep> Initial(CallFrame frame, int addressSize)
    {
        var steps = new List<CallFrameStep>();
        if (!frame.Simple)
        {
            steps.Add(new CallFrameStep(frame.Start, CallFrameOp.DefCfa, addressSize == 4 ? 4 : 7, addressSize));
            steps.Add(new CallFrameStep(frame.Start, CallFrameOp.Offset, ReturnAddress(addressSize), -addressSize));
        }

        return steps;
    }

    /// <summary>A length, then the body, then DW_CFA_nop up to the alignment.</summary>
    private static void Emit(List<byte> bytes, List<byte> body, int align)
    {
        int length = body.Count;
        while ((bytes.Count + 4 + length) % align != 0)
        {
            length++;
        }

        bytes.Add((byte)length);
        bytes.Add((byte)(length >> 8));
        bytes.Add((byte)(length >> 16));
        bytes.Add((byte)(length >> 24));
        bytes.AddRange(body);
        for (int k = body.Count; k < length; k++)
        {
            bytes.Add(0);
        }
    }

    private static bool SameSteps(List<CallFrameStep> a, List<CallFrameStep> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Op != b[i].Op || a[i].Register != b[i].Register || a[i].Offset != b[i].Offset)
            {
                return false;
            }
        }

        return true;
    }

    private static void Advance(List<byte> into, long delta)
    {
        if (delta < 0x40)
        {
            into.Add((byte)(AdvanceLoc | delta));
        }
        else if (delta < 0x100)
        {
            into.Add(AdvanceLoc1);
            into.Add((byte)delta);
        }
        else if (delta < 0x10000)
        {
            into.Add(AdvanceLoc2);
            into.Add((byte)delta);
            into.Add((byte)(delta >> 8));
        }
        else
        {
            into.Add(AdvanceLoc4);
            for (int k = 0; k < 4; k++)
            {
                into.Add((byte)(delta >> (8 * k)));
            }
        }
    }

    /// <summary>One instruction as GNU as's output_cfi_insn encodes it.</summary>
    private static void Instruction(List<byte> into, CallFrameStep step, int dataAlign)
    {
        switch (step.Op)
        {
            case CallFrameOp.DefCfa:
                into.Add(step.Offset < 0 ? DefCfaSf : DefCfaOp);
                Uleb(into, step.Register);
                if (step.Offset < 0)
                {
                    Sleb(into, step.Offset / dataAlign);
                }
                else
                {
                    Uleb(into, step.Offset);
                }

                break;
            case CallFrameOp.DefCfaRegister:
                into.Add(DefCfaRegisterOp);
                Uleb(into, step.Register);
                break;
            case CallFrameOp.DefCfaOffset:
                into.Add(step.Offset < 0 ? DefCfaOffsetSf : DefCfaOffsetOp);
                if (step.Offset < 0)
                {
                    Sleb(into, step.Offset / dataAlign);
                }
                else
                {
                    Uleb(into, step.Offset);
                }

                break;
            case CallFrameOp.Offset:
                {
                    long factored = step.Offset / dataAlign;
                    if (factored < 0)
                    {
                        into.Add(OffsetExtendedSf);
                        Uleb(into, step.Register);
                        Sleb(into, factored);
                    }
                    else if (step.Register < 64)
                    {
                        into.Add((byte)(OffsetOp | step.Register));
                        Uleb(into, factored);
                    }
                    else
                    {
                        into.Add(OffsetExtended);
                        Uleb(into, step.Register);
                        Uleb(into, factored);
                    }

                    break;
                }

            case CallFrameOp.Restore:
                if (step.Register < 64)
                {
                    into.Add((byte)(RestoreOp | step.Register));
                }
                else
                {
                    into.Add(RestoreExtended);
                    Uleb(into, step.Register);
                }

                break;
            case CallFrameOp.Undefined:
                into.Add(UndefinedOp);
                Uleb(into, step.Register);
                break;
            case CallFrameOp.SameValue:
                into.Add(SameValueOp);
                Uleb(into, step.Register);
                break;
            case CallFrameOp.RememberState:
                into.Add(RememberStateOp);
                break;
            case CallFrameOp.RestoreState:
                into.Add(RestoreStateOp);
                break;
        }
    }

    private static void Uleb(List<byte> into, long value) => Leb128.Write(into, value, signed: false);

    private static void Sleb(List<byte> into, long value) => Leb128.Write(into, value, signed: true);
}
