using EntryModel.Unwinding.Printing;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Printing;

/// <summary>%pB (return address: the symbol of address-1) against %pS (the exact address).</summary>
public sealed class BacktraceSymbolizerTests
{
    private static readonly SymbolTable Symbols = Built.Symbols;

    [Test]
    public void A_return_address_names_the_function_of_the_call_before_it_with_its_own_offset()
    {
        Assert.That(BacktraceSymbolizer.FormatReturnAddress(Symbols, InnerRet), Is.EqualTo("inner+0x9/0x20"));
    }

    [Test]
    public void A_return_address_after_a_call_that_ends_its_function_names_that_function_past_its_end()
    {
        Assert.That(BacktraceSymbolizer.FormatReturnAddress(Symbols, TailCallerRet), Is.EqualTo("tail_caller+0x10/0x10"));
    }

    [Test]
    public void An_exact_address_at_a_functions_first_byte_names_that_function_plus_0()
    {
        Assert.That(BacktraceSymbolizer.FormatAddress(Symbols, AfterTail), Is.EqualTo("after_tail+0x0/0x10"));
        Assert.That(BacktraceSymbolizer.FormatAddress(Symbols, Leaf), Is.EqualTo("leaf+0x0/0x20"));
    }

    [Test]
    public void A_return_address_at_the_first_byte_of_the_first_function_names_nothing()
    {
        Assert.That(BacktraceSymbolizer.FormatReturnAddress(Symbols, Leaf), Is.EqualTo("0xffffffff81000000"));
    }

    [Test]
    public void A_frame_is_formatted_by_the_rule_its_kind_calls_for()
    {
        Assert.That(BacktraceSymbolizer.Format(Symbols, Call(AfterTail, 0)), Is.EqualTo("tail_caller+0x10/0x10"));
        Assert.That(BacktraceSymbolizer.Format(Symbols, Guess(AfterTail, 0)), Is.EqualTo("tail_caller+0x10/0x10"));
        Assert.That(BacktraceSymbolizer.Format(Symbols, Regs(AfterTail, 0, user: false)), Is.EqualTo("after_tail+0x0/0x10"));
        Assert.That(BacktraceSymbolizer.Format(Symbols, Current(AfterTail)), Is.EqualTo("after_tail+0x0/0x10"));
    }

    [Test]
    public void Addresses_outside_every_symbol_print_as_hex()
    {
        Assert.That(BacktraceSymbolizer.FormatAddress(Symbols, UserRip), Is.EqualTo("0x401000"));
        Assert.That(BacktraceSymbolizer.FormatReturnAddress(Symbols, UserRip), Is.EqualTo("0x401000"));
        Assert.That(BacktraceSymbolizer.FormatReturnAddress(Symbols, 0), Is.EqualTo("0x0"));
    }
}
