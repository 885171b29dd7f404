using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as, read back with ELFSharp: <c>.cfi_*</c> directives under
/// <c>.cfi_sections .debug_frame</c> (the kernel's choice) give GNU as's <c>.debug_frame</c> in
/// 64-bit code too — CIEs shared by frames whose instructions they begin, R_X86_64_32 CIE
/// pointers and R_X86_64_64 initial locations, entries padded to 8 bytes.
/// </summary>
[TestFixture]
public sealed class GnuAsDebugFrameTests
{
    [Test]
    public void Cfi_directives_give_gnu_as_debug_frame_in_64_bit_code()
    {
        const string Source = """
            	.cfi_sections .debug_frame
            	.text
            	.globl f
            f:
            	.cfi_startproc
            	pushq %rbp
            	.cfi_adjust_cfa_offset 8
            	.cfi_rel_offset rbp, 0
            	movq %rsp, %rbp
            	.cfi_def_cfa_register rbp
            	pushq %r12
            	.cfi_offset r12, -24
            	.skip 100, 0x90
            	popq %r12
            	.cfi_restore r12
            	leave
            	.cfi_def_cfa rsp, 8
            	ret
            	.cfi_endproc
            g:
            	.cfi_startproc
            	.cfi_undefined rip
            	ud2
            	.cfi_endproc
            h:
            	.cfi_startproc
            	.cfi_undefined rip
            	.cfi_same_value 3
            	int3
            	.cfi_endproc

            """;
        var (difference, gas) = ObjectComparison.OfText(Source, ObjectFileMachine.Amd64);
        Assert.Multiple(() =>
        {
            Assert.That(difference, Is.Empty);
            Assert.That(gas[".debug_frame"].Relocations.Select(r => r.Type).Distinct().Order(), Is.EqualTo(new uint[] { 1, 10 }), "R_X86_64_64 and R_X86_64_32");
        });
    }

    [TestCase("\t.cfi_sections .debug_frame\nf:\t.cfi_startproc\n\tret\n\t.cfi_endproc\n\t.cfi_sections .eh_frame\n")]
    [TestCase("\t.cfi_sections .debug_frame\nf:\t.cfi_startproc\n\tret\n\t.cfi_endproc\n\t.cfi_sections .debug_frame, .eh_frame\n")]
    [TestCase("\t.cfi_sections .debug_frame\nf:\t.cfi_startproc\n\tret\n\t.cfi_sections .eh_frame\n\t.cfi_endproc\n")]
    public void Cfi_sections_that_change_eh_frame_after_a_frame_are_refused_as_gnu_as_refuses_them(string text) =>
        GnuAsRefusal.AssertRefusedAt(text, ObjectFileMachine.Amd64, "inconsistent uses of .cfi_sections", EntryModel.Generators.Diagnostics.DiagnosticIds.SyntaxError, ".eh_frame");

    [Test]
    public void Cfi_sections_repeated_with_the_same_sections_is_gnu_as_debug_frame()
    {
        var (difference, _) = ObjectComparison.OfText("\t.cfi_sections .debug_frame\n\t.cfi_sections .debug_frame\nf:\t.cfi_startproc\n\tpushq %rbp\n\t.cfi_adjust_cfa_offset 8\n\tpopq %rbp\n\tret\n\t.cfi_endproc\n\t.cfi_sections .debug_frame\n", ObjectFileMachine.Amd64);
        Assert.That(difference, Is.Empty);
    }
}
