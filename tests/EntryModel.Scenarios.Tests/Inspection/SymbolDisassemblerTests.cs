using EntryModel.Kernel;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Scenarios.Tests.Inspection;

public class SymbolDisassemblerTests
{
    [Test]
    public void Call_sites_are_named_and_cover_the_seed_offsets()
    {
        var image = DefaultKernel.None;
        var lines = SymbolDisassembler.Disassemble(image, image.Symbols["dump_stack"]);
        var call = lines.Single(l => l.Text.StartsWith("call", StringComparison.Ordinal));

        Assert.That(call.Text, Is.EqualTo("call   show_stack"));
        Assert.That(call.Address + (ulong)call.Bytes.Length, Is.EqualTo(0xffffffff8143c243UL), "dump_stack+0x85");
    }

    [Test]
    public void Long_filler_runs_fold_into_one_line_and_every_byte_is_accounted_for()
    {
        var image = DefaultKernel.None;
        var symbol = image.Symbols["__do_page_fault"];
        var lines = SymbolDisassembler.Disassemble(image, symbol);
        var nops = lines.Single(l => l.Repeat > 1 && l.Text == "nop");

        Assert.That(nops.Repeat, Is.EqualTo(0x52e));
        Assert.That(lines.Sum(l => l.Bytes.Length * l.Repeat), Is.EqualTo((int)symbol.Size));
        Assert.That(lines[0].ToString(), Does.StartWith("ffffffff81073020:  55 "));
    }

    [Test]
    public void Branch_targets_inside_a_function_print_as_symbol_plus_offset()
    {
        var image = DefaultKernel.None;
        var lines = SymbolDisassembler.Disassemble(image, image.Symbols["__do_page_fault"]);

        Assert.That(lines.Select(l => l.Text), Has.Some.Matches<string>(t => t.StartsWith("jne    __do_page_fault+0x", StringComparison.Ordinal)));
    }
}
