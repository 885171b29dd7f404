using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Public;
using EntryModel.Oracles.Tests.Kernel;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as in 32-bit mode (<c>as --32</c>, as kbuild's gcc -m32 runs it for the 32-bit
/// vDSO), read back with ELFSharp: the generator assembling for <see cref="ObjectFileMachine.I386"/>
/// must give GNU as's ELF32 object (<see cref="ObjectComparison"/>) — 32-bit encodings, i386
/// relocation types with their addends in the section bytes (REL), the i386 NOP patterns, and the
/// <c>.debug_frame</c> GNU as builds from <c>.cfi_*</c> directives.
/// </summary>
[TestFixture]
public sealed class GnuAs32ObjectTests
{
    [Test]
    public void Instructions_encode_as_gnu_as_encodes_32_bit_code()
    {
        AssertSameObject("""
            	.text
            	.globl f
            	.type f, @function
            f:
            	pushl %ebp
            	movl %esp, %ebp
            	pushl %ebx
            	pushl %esi
            	pushl $1
            	pushl $0x1000
            	pushl ext
            	pushw %ax
            	popl %esi
            	movl 8(%ebp), %eax
            	movl -4(%esp), %ecx
            	movl (%esp), %edx
            	movl 0x100(%eax,%ecx,4), %ebx
            	movl (,%eax,8), %esi
            	movl 0x80(%ebx), %edi
            	movb %al, (%ebp)
            	movw $0x1234, 2(%eax)
            	movl ext, %eax
            	movl %eax, ext+4
            	movl ext, %ecx
            	movl $ext, %eax
            	movl $ext+8, (%esi)
            	leal ext(%ebx), %eax
            	leal 4(%esp), %ecx
            	addl $1, %eax
            	addl $0x1000, %ecx
            	subl $-128, %edx
            	andl $0xffffff00, %eax
            	cmpb $3, %al
            	testl %eax, %eax
            	xorl %eax, %eax
            	incl %eax
            	decl %ecx
            	incw %dx
            	incb %bl
            	negl %edx
            	notl %esi
            	shll %eax
            	shrl $4, %ecx
            	sarl %cl, %edx
            	imull $12, %eax, %ecx
            	xchgl %eax, %ecx
            	xchg %eax, %eax
            	movzbl %al, %eax
            	movswl (%ecx), %edx
            	cmovel %ecx, %eax
            	sete %al
            	cli
            	sti
            	cld
            	cpuid
            	rdtsc
            	pause
            	lfence
            	int $0x80
            	int $3
            	int3
            	sysenter
            	syscall
            	call local
            	call ext
            	call *%eax
            	call *4(%ebx)
            	jmp *ext(,%eax,4)
            	jmp 1f
            	jne 1f
            	je ext
            	.skip 200, 0x90
            1:	jmp local
            	jb f
            	leave
            	ret
            	ret $4
            	iret
            local:
            	popl %ebx
            	popl %ebp
            	ret
            	.size f, .-f
            """);
    }

    [Test]
    public void System_string_and_segment_instructions_encode_as_gnu_as_encodes_them()
    {
        AssertSameObject("""
            	.code32
            	.text
            	movl 0xc0000000, %eax
            	movl 0xc0000000(%ebx), %ecx
            	movl $0xffffffff, %eax
            	pushl $-1
            	addl $0x80000000, %eax
            	leal (%eax,%eax,2), %eax
            	movl %cr0, %eax
            	movl %eax, %cr3
            	movw %ds, %ax
            	movl %ss, %eax
            	xchg %ax, %ax
            	nopl (%eax)
            	nopw 0(%eax,%eax,1)
            	movzwl %ax, %eax
            	bswap %eax
            	cmpxchg8b (%esi)
            	lock incl (%eax)
            	rep stosl
            	rep movsb
            	lodsw
            	repne scasb
            	cmpsl
            	pushfl
            	popfl
            	pushal
            	popal
            	cwtl
            	cltd
            	lret
            	hlt
            	ud2
            	wrmsr
            	movl %esp, %fs:0x10
            	movl %gs:(%eax), %edx
            	testb $1, 4(%esp)
            	shldl $3, %eax, %edx
            	btl $5, (%ecx)
            	setne %dl
            	rdtscp
            	lidt (%eax)
            	sgdt 6(%esp)
            	ltr %ax
            	movl (%esp,%ebp,1), %eax
            """);
    }

    [Test]
    public void Data_and_code_relocations_are_i386_rel_with_addends_in_the_bytes()
    {
        var gas = AssertSameObject("""
            	.text
            start:
            	call ext
            	jmp ext+4
            	movl $ext+8, %eax
            	movl ext+12, %ecx
            	movl $.Ldata+4, %edx
            	.data
            .Ldata:
            	.long 0
            	.long start, start+4, ext, ext-8
            	.long ext-., .Lother-., start-.
            	.word ext+2
            	.byte ext
            	.section .other, "a"
            	.long 1
            .Lother:
            	.long .Ldata+4, start+16
            """);
        var text = gas[".text"];
        var data = gas[".data"];
        Assert.Multiple(() =>
        {
            Assert.That(text.Relocations.Select(r => r.Type).Distinct().Order(), Is.EqualTo(new uint[] { 1, 2 }), "R_386_32 and R_386_PC32");
            Assert.That(data.Relocations.Select(r => r.Type), Does.Contain(20u).And.Contain(22u), "R_386_16 and R_386_8");
            Assert.That(text.Relocations.Any(r => r.Addend != 0), "REL addends held in the section");
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(8)]
    [TestCase(10)]
    [TestCase(11)]
    [TestCase(12)]
    [TestCase(15)]
    public void Code_alignment_pads_with_the_i386_nops(int used)
    {
        AssertSameObject($"""
            	.text
            	.skip {used}, 0x90
            	.p2align 4
            	ret
            	.skip {16 - used}, 0x90
            	.p2align 5, 0x90
            	ret
            	.balign 64
            	nop
            """);
    }

    [Test]
    public void Cfi_directives_give_gnu_as_debug_frame()
    {
        AssertSameObject("""
            	.cfi_sections .debug_frame
            	.text
            	.globl a
            a:
            	.cfi_startproc
            	pushl %ebp
            	.cfi_adjust_cfa_offset 4
            	.cfi_rel_offset ebp, 0
            	movl %esp, %ebp
            	.cfi_def_cfa_register %ebp
            	pushl %ebx
            	.cfi_offset %ebx, -12
            	.cfi_remember_state
            	.skip 70, 0x90
            	popl %ebx
            	.cfi_restore ebx
            	.skip 300, 0x90
            	popl %ebp
            	.cfi_def_cfa esp, 4
            	.cfi_restore_state
            	.cfi_undefined eip
            	.cfi_same_value esi
            	ret
            	.cfi_endproc
            b:
            	.cfi_startproc
            	ret
            	.cfi_endproc
            c:
            	.cfi_startproc
            	.cfi_def_cfa_offset 8
            	pushl %eax
            	.cfi_def_cfa_offset 12
            	popl %eax
            	ret
            	.cfi_endproc
            d:
            	.cfi_startproc simple
            	.cfi_def_cfa esp, 4
            	ret
            	.cfi_endproc
            """);
    }

    [Test]
    public void Leb128_values_sized_by_the_layout()
    {
        AssertSameObject("""
            	.text
            0:	jmp 1f
            	.skip 120, 0x90
            1:	ret
            	.section .info, "a"
            	.uleb128 0, 127, 128, 0x3fff, 0x4000, 1b-0b, 2f-0b
            	.sleb128 -1, -64, -65, 63, 64, 0b-1b
            	.text
            	.skip 20000, 0x90
            2:	ret
            """);
    }

    [Test]
    public void Arpl_takes_no_operand_size_prefix()
    {
        AssertSameObject("""
            	.text
            	arpl %ax, %bx
            	arpl %bx, %cx
            	arpl %ax, (%ebx)
            	arpl %dx, 8(%esi)
            """);
    }

    [Test]
    public void In_place_addends_that_fit_their_field_are_gnu_as_bytes()
    {
        AssertSameObject("""
            	.text
            	.byte ext+255, ext-255
            	.word ext+65535, ext-65535
            	.long ext+0x100000000
            	movb $ext+255, %al
            """);
    }

    [TestCase("\t.byte ext+300\n", "value of 300 too large for field of 1 byte", "ext")]
    [TestCase("\t.byte ext-256\n", "too large for field of 1 byte", "ext")]
    [TestCase("\t.word ext+70000\n", "too large for field of 2 bytes", "ext")]
    [TestCase("\tmovb $ext+300, %al\n", "value of 300 too large for field of 1 byte", "ext")]
    [TestCase("\tpushw $ext+70000\n", "too large for field of 2 bytes", "ext")]
    public void In_place_addends_too_large_for_their_field_are_reported_as_gnu_as_reports_them(string text, string gnuSays, string spanText) =>
        GnuAsRefusal.AssertRefusedAt(text, ObjectFileMachine.I386, gnuSays, DiagnosticIds.ValueOutOfRange, spanText);

    /// <summary>Asserts the generator's object of <paramref name="source"/> is <c>as --32</c>'s; returns GNU as's sections.</summary>
    private static Dictionary<string, ElfSection> AssertSameObject(string source)
    {
        var (difference, gas) = ObjectComparison.OfText(source + "\n", ObjectFileMachine.I386);
        Assert.That(difference, Is.Empty);
        return gas;
    }
}
