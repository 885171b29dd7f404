using System;
using System.Collections.Generic;
using System.Globalization;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Public;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>
/// The <c>.cfi_*</c> directives: CFI is recorded as GNU as's dw2gencfi records it (a mark at the
/// directive's place and the DW_CFA instruction it means), for <see cref="DebugFrameWriter"/> to
/// encode once the code is laid out.
/// </summary>
internal sealed partial class Expander
{
    // DWARF register numbers (the psABIs'): i386 and x86-64.
    private static readonly string[] I386Registers = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip" };
    private static readonly string[] Amd64Registers = { "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip" };

    private void CallFrameDirective(string word, StatementSyntax syntax, int wordStart, int argsStart, SourceRef src)
    {
        var frames = CallFrames;
        var args = syntax.Text.Substring(Math.Min(argsStart, syntax.Text.Length)).Trim().Length == 0 ? Array.Empty<(int Start, int End)>() : syntax.Arguments(argsStart);
        string Arg(int i) => syntax.Text.Substring(args[i].Item1, args[i].Item2 - args[i].Item1).Trim();
        if (word == ".cfi_sections")
        {
            bool toEhFrame = false, toDebugFrame = false;
            int ehFrameArg = -1;
            for (int i = 0; i < args.Count; i++)
            {
                switch (Arg(i))
                {
                    case ".eh_frame":
                        toEhFrame = true;
                        ehFrameArg = i;
                        break;
                    case ".debug_frame":
                        toDebugFrame = true;
                        break;
                    default:
                        throw new SyntaxException(DiagnosticIds.UnknownDirective, $"'.cfi_sections {Arg(i)}' is not supported (.debug_frame is)", args[i].Item1, args[i].Item2 - args[i].Item1);
                }
            }

            // GNU as's rule: once a frame began, .cfi_sections naming .eh_frame must keep .eh_frame as it was.
            if (frames.Started && toEhFrame && !frames.ToEhFrame)
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "inconsistent uses of .cfi_sections (frames before went to .debug_frame only)", args[ehFrameArg].Item1, args[ehFrameArg].Item2 - args[ehFrameArg].Item1);
            }

            frames.ToEhFrame = toEhFrame;
            frames.ToDebugFrame = toDebugFrame;
            return;
        }

        if (word == ".cfi_startproc")
        {
            if (frames.Open != null)
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "previous CFI entry not closed (missing .cfi_endproc)", wordStart, word.Length);
            }

            frames.Started = true;
            if (frames.ToEhFrame)
            {
                frames.InRefused = true;
                throw new SyntaxException(DiagnosticIds.UnknownDirective, "CFI into .eh_frame is not supported: give '.cfi_sections .debug_frame' first (as the kernel does)", wordStart, word.Length);
            }

            bool simple = args.Count > 0 && Arg(0) == "simple";
            var code = RequireCode(word, wordStart, word.Length);
            var start = Mark(code, src);
            var frame = new CallFrame(code, start, simple) { CfaOffset = simple ? 0 : AddressSize };
            frames.Frames.Add(frame);
            frames.Open = frame;
            return;
        }

        if (frames.Open == null && frames.InRefused)
        {
            // The refused frame's own directives: its .cfi_startproc was reported already.
            frames.InRefused = word != ".cfi_endproc";
            return;
        }

        var open = frames.Open ?? throw new SyntaxException(DiagnosticIds.SyntaxError, $"'{word}' without a previous .cfi_startproc", wordStart, word.Length);
        if (!ReferenceEquals(current, open.Code))
        {
            throw new SyntaxException(DiagnosticIds.UnknownDirective, $"'{word}' in another section than its .cfi_startproc is not supported", wordStart, word.Length);
        }

        var at = Mark(open.Code, src);
        switch (word)
        {
            case ".cfi_endproc":
                open.End = at;
                frames.Open = null;
                return;
            case ".cfi_def_cfa":
                {
                    NeedArguments(word, args, 2, wordStart);
                    int reg = CallFrameRegister(syntax, args[0]);
                    open.CfaOffset = CallFrameNumber(syntax, args[1], src);
                    open.Steps.Add(new CallFrameStep(at, CallFrameOp.DefCfa, reg, open.CfaOffset));
                    return;
                }

            case ".cfi_def_cfa_register":
                NeedArguments(word, args, 1, wordStart);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.DefCfaRegister, CallFrameRegister(syntax, args[0]), 0));
                return;
            case ".cfi_def_cfa_offset":
                NeedArguments(word, args, 1, wordStart);
                open.CfaOffset = CallFrameNumber(syntax, args[0], src);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.DefCfaOffset, 0, open.CfaOffset));
                return;
            case ".cfi_adjust_cfa_offset":
                NeedArguments(word, args, 1, wordStart);
                open.CfaOffset += CallFrameNumber(syntax, args[0], src);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.DefCfaOffset, 0, open.CfaOffset));
                return;
            case ".cfi_offset":
                NeedArguments(word, args, 2, wordStart);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.Offset, CallFrameRegister(syntax, args[0]), CallFrameNumber(syntax, args[1], src)));
                return;
            case ".cfi_rel_offset":
                // An offset from the CFA as it stands: GNU as subtracts the current CFA offset.
                NeedArguments(word, args, 2, wordStart);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.Offset, CallFrameRegister(syntax, args[0]), CallFrameNumber(syntax, args[1], src) - open.CfaOffset));
                return;
            case ".cfi_restore":
            case ".cfi_undefined":
            case ".cfi_same_value":
                {
                    var op = word == ".cfi_restore" ? CallFrameOp.Restore : word == ".cfi_undefined" ? CallFrameOp.Undefined : CallFrameOp.SameValue;
                    NeedArguments(word, args, 1, wordStart);
                    for (int i = 0; i < args.Count; i++)
                    {
                        open.Steps.Add(new CallFrameStep(at, op, CallFrameRegister(syntax, args[i]), 0));
                    }

                    return;
                }

            case ".cfi_remember_state":
                open.Remembered.Push(open.CfaOffset);
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.RememberState, 0, 0));
                return;
            case ".cfi_restore_state":
                if (open.Remembered.Count == 0)
                {
                    throw new SyntaxException(DiagnosticIds.SyntaxError, "'.cfi_restore_state' without a '.cfi_remember_state'", wordStart, word.Length);
                }

                open.CfaOffset = open.Remembered.Pop();
                open.Steps.Add(new CallFrameStep(at, CallFrameOp.RestoreState, 0, 0));
                return;
            default:
                throw new SyntaxException(DiagnosticIds.UnknownDirective, $"'{word}' is not supported", wordStart, word.Length);
        }
    }

    private static CallFrameMark Mark(Fragment code, SourceRef src)
    {
        var mark = new CallFrameMark(src);
        code.Items.Add(mark);
        return mark;
    }

    private static void NeedArguments(string word, IReadOnlyList<(int Start, int End)> args, int count, int wordStart)
    {
        if (args.Count < count)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"'{word}' needs {count} argument(s)", wordStart, word.Length);
        }
    }

    private long CallFrameNumber(StatementSyntax syntax, (int Start, int End) arg, SourceRef src) =>
        Evaluator.EvaluateAbsolute(ParseBound(syntax, arg.Item1, arg.Item2, src), "the CFI offset");

    /// <summary>A register by name (with or without %) or by DWARF number, in the machine's numbering.</summary>
    private int CallFrameRegister(StatementSyntax syntax, (int Start, int End) arg)
    {
        string name = syntax.Text.Substring(arg.Item1, arg.Item2 - arg.Item1).Trim().TrimStart('%').ToLowerInvariant();
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        int index = Array.IndexOf(Machine == ObjectFileMachine.I386 ? I386Registers : Amd64Registers, name);
        if (index < 0)
        {
            throw new SyntaxException(DiagnosticIds.UnknownRegister, $"'{name}' is not a register CFI can name in {(Machine == ObjectFileMachine.I386 ? "32" : "64")}-bit code", arg.Item1, arg.Item2 - arg.Item1);
        }

        return index;
    }
}
