namespace EntryModel.Oracles.Tests.Objtool;

/// <summary>
/// The runtime's ORC row (<see cref="OrcEntry"/>: the kernel's packed struct orc_entry) against
/// objtool's own output: the bytes objtool writes to <c>.orc_unwind</c> decode to the rows its
/// <c>--dump=orc</c> prints, text for text, and encode back to the same bytes. Oracle: objtool.
/// </summary>
public class OrcLayoutObjtoolOracleTests
{
    // Functions with frames, pushes and stack adjustments, and hinted entry code: pt_regs at the
    // stack pointer, an iret frame, an undefined end, and a CFA based on %rbp.
    private const string Source = ValidationCorpus.HintMacro + """
            .text
            .globl framed
            .type framed, @function
        framed:
            pushq %rbp
            movq %rsp, %rbp
            pushq %rbx
            subq $0x28, %rsp
            call other
            addq $0x28, %rsp
            popq %rbx
            popq %rbp
            ret
            .size framed, .-framed

            .globl pushes
            .type pushes, @function
        pushes:
            pushq %r12
            pushq %r13
            pushq %r14
            call other
            popq %r14
            popq %r13
            popq %r12
            ret
            .size pushes, .-pushes

            .globl entry_stub
        entry_stub:
            HINT 2, 5, 0
            pushq $-1
            subq $15*8, %rsp
            HINT 1, 5, 0
            movq %rsp, %rdi
            call other
            addq $16*8, %rsp
            HINT 2, 5, 0
            iretq
            HINT 0, 0, 0, 1
            ud2
        """;

    [Test]
    public void Orc_unwind_bytes_objtool_writes_decode_to_the_rows_it_dumps_and_encode_back()
    {
        var report = Objtool.Check(Source, orc: true);
        var bytes = report.OrcUnwind;

        Assert.That(report.Warnings, Is.Empty, string.Join('\n', report.Warnings));
        Assert.That(report.Rows, Has.Count.GreaterThanOrEqualTo(12), "a row per change of state");
        Assert.That(bytes, Has.Length.EqualTo(report.Rows.Count * OrcEntry.Size));
        for (int i = 0; i < report.Rows.Count; i++)
        {
            var slice = bytes.AsSpan(i * OrcEntry.Size, OrcEntry.Size);
            var entry = OrcEntry.Read(slice);
            var again = new byte[OrcEntry.Size];
            entry.WriteTo(again);

            Assert.That(entry.ToString(), Is.EqualTo(report.Rows[i].Row), $"row {i} at {report.Rows[i].Section}+{report.Rows[i].Offset:x}");
            Assert.That(again, Is.EqualTo(slice.ToArray()), $"row {i} re-encoded");
        }

        Assert.That(report.Rows.Select(r => r.Row), Has.Some.Contains("type:regs end:0").And.Some.Contains("type:regs (partial)").And.Some.Contains("bp:prevsp-16").And.Some.Contains("end:1"));
    }
}
