using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>
/// A start made by its factories carries the stack it begins on and the memory's shown page, so
/// the unwinders that walk it do not ask again; a copy with another start, stacks or memory must not
/// carry them over. The oracle is the provider itself.
/// </summary>
public class UnwindStartTests
{
    [Test]
    public void A_factory_start_knows_its_stack_and_a_changed_copy_does_not()
    {
        var start = Scenes.Syscall().Start;

        Assert.That(start.Resolved, Is.True);
        Assert.That(start.Stacks.TryGet(start.At, out var expected), Is.True);
        Assert.That(start.Stack, Is.SameAs(expected));
        Assert.That((start with { Sp = UserSp }).Resolved, Is.False, "another stack pointer");
        Assert.That((start with { Stacks = new TestStacks(TestStacks.Task, TestStacks.Irq, TestStacks.Ist) }).Resolved, Is.False, "other stacks");
        Assert.That((start with { Sp = UserSp }).Stack, Is.Null, "a copy does not carry the stack it was not found for");
        Assert.That(start with { Sp = UserSp }, Is.Not.EqualTo(start));
        Assert.That(start.Over(start.Memory, start.Stacks), Is.EqualTo(start), "what was found is no part of equality");
        Assert.That(start.Over(new FakeMemory(), start.Stacks).Resolved, Is.True, "Over finds the stack again");
        Assert.That((start with { Memory = new FakeMemory() }).Resolved, Is.False, "other memory");
        Assert.That((start with { Kind = UnwindStartKind.PtRegs }).Resolved, Is.EqualTo(start.Address == start.Sp), "another kind starts elsewhere");
    }

    [Test]
    public void A_start_off_every_stack_is_resolved_to_none_and_fails_as_unknown()
    {
        var scene = Scenes.Syscall();
        var start = UnwindStart.FromRegisters(scene.Start.Ip, UserSp, scene.Start.Bp, scene.Start.Memory, scene.Start.Stacks);
        var state = default(UnwindState);

        Assert.That(start.Resolved, Is.True);
        Assert.That(start.Stack, Is.Null);
        Assert.That(UnwinderCatalog.Create("frame", SyntheticKernel.Unwind).Start(ref state, start), Is.False);
        Assert.That(state.Error, Is.EqualTo(UnwindError.UnknownStack));
    }

    [Test]
    public void Beginning_again_over_a_walked_state_leaves_nothing_of_the_old_walk()
    {
        // TryBegin fills the state field by field without clearing it first (and keeps references
        // it already holds): every field, private ones included, must come out as over a cleared state.
        var scene = Scenes.Syscall();
        var unwinder = UnwinderCatalog.Create("frame-encoded", SyntheticKernel.Unwind);
        var walked = default(UnwindState);
        Assert.That(unwinder.Start(ref walked, scene.Start), Is.True);
        while (unwinder.NextFrame(ref walked))
        {
        }

        walked.Caveats = UnwindCaveat.CrossedStackWithoutRegs;
        walked.Pending = 0x1234;
        walked.PartialRegs = true;
        walked.PreviousRegs = 0x5678;
        var fields = typeof(UnwindState).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        var fresh = default(UnwindState);
        foreach (var start in new[] { scene.Start, scene.Start with { Sp = UserSp }, scene.Start.Over(new FakeMemory(), scene.Start.Stacks) })
        {
            var reused = walked;
            bool began = UnwindState.TryBegin(start, ref reused, out _);
            fresh = default;
            Assert.That(UnwindState.TryBegin(start, ref fresh, out _), Is.EqualTo(began));
            foreach (var field in fields)
            {
                Assert.That(field.GetValue(reused), Is.EqualTo(field.GetValue(fresh)), $"{field.Name} after a walk, starting at 0x{start.At:x}");
            }
        }

        object cleared = default(UnwindState);
        Assert.That(fields.Count(f => !Equals(f.GetValue(walked), f.GetValue(cleared))), Is.GreaterThan(12), "the walked state is far from a cleared one");
    }
}
