using System.Runtime.CompilerServices;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;

namespace EntryModel.Machine.Execution;

/// <summary>The dispatch switch: one case per <see cref="Handler"/>; RIP already points past the instruction.</summary>
public sealed partial class X86Machine
{
    /// <summary>Executes one decoded instruction; false when it raised an exception (nothing committed).</summary>
    private bool Execute(ref DecodedInstruction d, Handler handler)
    {
        switch (handler)
        {
            case Handler.MovRR64:
                R(d.DstReg) = R(d.SrcReg);
                return true;
            case Handler.MovRM64:
            {
                if (!Memory.TryRead64(EffectiveAddress(ref d), out ulong v))
                {
                    return MemoryFault((d.Flags & DecodedFlags.StackSegment) != 0);
                }

                R(d.DstReg) = v;
                return true;
            }

            case Handler.MovMR64:
                return Memory.TryWrite64(EffectiveAddress(ref d), R(d.SrcReg)) || MemoryFault((d.Flags & DecodedFlags.StackSegment) != 0);
            case Handler.MovRI:
                WriteReg(d.DstReg, d.Size, d.Immediate);
                return true;
            case Handler.PushR64:
                return Push64(R(d.DstReg));
            case Handler.PopR64:
            {
                if (!Pop64(out ulong v))
                {
                    return false;
                }

                R(d.DstReg) = v;
                return true;
            }

            case Handler.AddRI64:
            {
                ref ulong r = ref R(d.DstReg);
                ulong a = r;
                r = a + d.Immediate;
                State.SetLazy(FlagOp.Add, 64, a, d.Immediate, r);
                return true;
            }

            case Handler.SubRI64:
            {
                ref ulong r = ref R(d.DstReg);
                ulong a = r;
                r = a - d.Immediate;
                State.SetLazy(FlagOp.Sub, 64, a, d.Immediate, r);
                return true;
            }

            case Handler.CmpRI64:
            {
                ulong a = R(d.DstReg);
                State.SetLazy(FlagOp.Sub, 64, a, d.Immediate, a - d.Immediate);
                return true;
            }

            case Handler.CmpRR64:
            {
                ulong a = R(d.DstReg);
                ulong b = R(d.SrcReg);
                State.SetLazy(FlagOp.Sub, 64, a, b, a - b);
                return true;
            }

            case Handler.TestRR64:
                State.SetLazy(FlagOp.Logic, 64, 0, 0, R(d.DstReg) & R(d.SrcReg));
                return true;
            case Handler.XorRR32:
            {
                ulong res = (uint)(R(d.DstReg) ^ R(d.SrcReg));
                R(d.DstReg) = res;
                State.SetLazy(FlagOp.Logic, 32, 0, 0, res);
                return true;
            }

            case Handler.Jcc:
                if (State.Condition(d.Condition))
                {
                    State.Rip = d.Immediate;
                }

                return true;
            case Handler.Jmp:
                State.Rip = d.Immediate;
                return true;
            case Handler.Call:
                return Call(ref d, d.Immediate);
            case Handler.Ret:
                return Return(ref d);
            case Handler.Nop:
                return true;
            case Handler.RspWrite:
                return ExecuteWatchingRsp(ref d);
            case Handler.Breakpoint:
                if (State.Rip - d.Length != bypassBreakpointAt)
                {
                    State.Rip -= d.Length;
                    RequestStop(new StopReason(StopKind.Breakpoint, State.Rip, 0));
                    Retired--; // the run loop counts this dispatch; nothing retired
                    return true;
                }

                return (d.Flags & DecodedFlags.WritesRsp) != 0 ? ExecuteWatchingRsp(ref d) : Execute(ref d, d.Semantic);
            default:
                return ExecuteGeneral(ref d, handler);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExecuteWatchingRsp(ref DecodedInstruction d)
    {
        ulong old = R(4);
        if (!Execute(ref d, d.Semantic))
        {
            return false;
        }

        if (observers is { } o && R(4) != old)
        {
            o.OnStackPointerWrite(old, R(4));
        }

        return true;
    }

    /// <summary>The less frequent handlers, kept out of the hot switch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExecuteGeneral(ref DecodedInstruction d, Handler handler)
    {
        switch (handler)
        {
            case Handler.Invalid:
            case Handler.Ud2:
                return Fault(ExceptionVector.InvalidOpcode, 0);
            case Handler.Mov:
                return Move(ref d);
            case Handler.Movzx:
            case Handler.Movsx:
                return Extend(ref d, handler == Handler.Movsx);
            case Handler.Lea:
                WriteReg(d.DstReg, d.Size, Offset(ref d) & Mask(d.Size));
                return true;
            case Handler.Push:
                return Push(ref d);
            case Handler.Pop:
                return Pop(ref d);
            case Handler.Pushfq:
                return Push64(State.Rflags & ~(RFlags.RF | RFlags.VM));
            case Handler.Popfq:
                return Popfq();
            case Handler.Leave:
                return Leave();
            case Handler.Add:
            case Handler.Or:
            case Handler.Adc:
            case Handler.Sbb:
            case Handler.And:
            case Handler.Sub:
            case Handler.Xor:
            case Handler.Cmp:
            case Handler.Test:
                return Alu(ref d, handler);
            case Handler.Inc:
            case Handler.Dec:
            case Handler.Neg:
            case Handler.Not:
                return Unary(ref d, handler);
            case Handler.Shl:
            case Handler.Shr:
            case Handler.Sar:
            case Handler.Rol:
            case Handler.Ror:
            case Handler.Rcl:
            case Handler.Rcr:
                return Shift(ref d, handler);
            case Handler.Bswap:
                WriteReg(d.DstReg, d.Size, d.Size == 8 ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(R(d.DstReg)) : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)R(d.DstReg)));
                return true;
            case Handler.Lahf:
                WriteReg(16, 1, (State.Rflags & 0xFF) | RFlags.Reserved1);
                return true;
            case Handler.Sahf:
                State.SetStatusFlags(RFlags.SF | RFlags.ZF | RFlags.AF | RFlags.PF | RFlags.CF, ReadReg(16, 1));
                return true;
            case Handler.ImulWide:
                return MultiplyWide(ref d, signed: true);
            case Handler.MulWide:
                return MultiplyWide(ref d, signed: false);
            case Handler.ImulTruncating:
                return MultiplyTruncating(ref d, immediate: false);
            case Handler.ImulImmediate:
                return MultiplyTruncating(ref d, immediate: true);
            case Handler.Div:
                return Divide(ref d, signed: false);
            case Handler.Idiv:
                return Divide(ref d, signed: true);
            case Handler.Xchg:
                return Exchange(ref d);
            case Handler.Cmovcc:
                return ConditionalMove(ref d);
            case Handler.Setcc:
                return SetByte(ref d);
            case Handler.Bt:
            case Handler.Bts:
            case Handler.Btr:
            case Handler.Btc:
                return BitTest(ref d, handler);
            case Handler.SignExtendAccumulator:
                WriteReg(0, d.Size, (ulong)SignExtend(ReadReg(0, d.Size / 2), d.Size * 4));
                return true;
            case Handler.SignExtendIntoDx:
                WriteReg(2, d.Size, SignExtend(ReadReg(0, d.Size), d.Size * 8) < 0 ? ulong.MaxValue : 0);
                return true;
            case Handler.JmpIndirect:
                return JumpIndirect(ref d);
            case Handler.CallIndirect:
                return CallIndirect(ref d);
            case Handler.Movs:
                return MoveString(ref d);
            case Handler.Stos:
                return StoreString(ref d);
            case Handler.Lods:
                return LoadString(ref d);
            case Handler.Scas:
                return CompareString(ref d, withSource: false);
            case Handler.Cmps:
                return CompareString(ref d, withSource: true);
            case Handler.Xadd:
                return ExchangeAndAdd(ref d);
            case Handler.Cmpxchg:
                return CompareExchange(ref d);
            case Handler.Bsf:
                return BitScan(ref d, reverse: false);
            case Handler.Bsr:
                return BitScan(ref d, reverse: true);
            case Handler.Loop:
                return Loop(ref d);
            case Handler.Jrcxz:
                if (ReadReg(1, d.Size) == 0)
                {
                    State.Rip = d.Immediate;
                }

                return true;
            case Handler.Rdtsc:
                return ReadTimeStampCounter();
            default:
                return ExecuteSystem(ref d, handler);
        }
    }
}
