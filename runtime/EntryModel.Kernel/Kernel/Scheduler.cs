namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>smp_apic_timer_interrupt(regs): counts the tick and asks the current task to reschedule.</summary>
    [GasCode("smp_apic_timer_interrupt", Address = 0xffffffff810500c0)]
    public const string SmpApicTimerInterrupt = """
            FRAME_BEGIN
            incq jiffies(%rip)
            movq %gs:PCPU_CURRENT_TASK, %rax
            movq $1, TASK_NEED_RESCHED(%rax)
            FRAME_END
            ret
        """;

    /// <summary>
    /// preempt_schedule_irq(): called from the interrupt exit with interrupts off; schedules with
    /// preemption counted and interrupts on, until no reschedule is pending. With the task-flag
    /// strategy the task carries PF_PREEMPT_IRQ while it is switched out from an interrupt.
    /// </summary>
    [GasCode("preempt_schedule_irq", Address = 0xffffffff81880000)]
    public const string PreemptScheduleIrq = """
            FRAME_BEGIN
            pushq %rbx
            movq %gs:PCPU_CURRENT_TASK, %rbx
        .ifdef CONFIG_TASK_FLAG
            orq $PF_PREEMPT_IRQ, TASK_FLAGS(%rbx)
        .endif
        1:
            incq %gs:PCPU_PREEMPT_COUNT
            sti
            movl $1, %edi
            call __schedule
            cli
            decq %gs:PCPU_PREEMPT_COUNT
            cmpq $0, TASK_NEED_RESCHED(%rbx)
            jnz 1b
        .ifdef CONFIG_TASK_FLAG
            andq $~PF_PREEMPT_IRQ, TASK_FLAGS(%rbx)
        .endif
            popq %rbx
            FRAME_END
            ret
        """;

    /// <summary>schedule(): a voluntary switch, repeated while a reschedule is pending.</summary>
    [GasCode("schedule", Address = 0xffffffff81880080)]
    public const string Schedule = """
            FRAME_BEGIN
        1:
            incq %gs:PCPU_PREEMPT_COUNT
            xorl %edi, %edi
            call __schedule
            decq %gs:PCPU_PREEMPT_COUNT
            movq %gs:PCPU_CURRENT_TASK, %rax
            cmpq $0, TASK_NEED_RESCHED(%rax)
            jnz 1b
            FRAME_END
            ret
        """;

    /// <summary>
    /// __schedule(preempt): round robin. With interrupts off, clears the reschedule request, picks
    /// the next task on the ring and switches to it; returns (in this task, later) with interrupts on.
    /// </summary>
    [GasCode("__schedule", Address = 0xffffffff81880100)]
    public const string ScheduleInner = """
            FRAME_BEGIN
            cli
            movq %gs:PCPU_CURRENT_TASK, %rdi
            movq $0, TASK_NEED_RESCHED(%rdi)
            movq TASK_NEXT(%rdi), %rsi
            cmpq %rdi, %rsi
            je 1f
            call __switch_to_asm
        1:
            sti
            FRAME_END
            ret
        """;

    /// <summary>__switch_to(prev, next): makes next current (per-CPU current task, top of stack, TSS RSP0); returns prev.</summary>
    [GasCode("__switch_to", Address = 0xffffffff81880180)]
    public const string SwitchTo = """
            FRAME_BEGIN
            movq %rsi, %gs:PCPU_CURRENT_TASK
            movq TASK_STACK_TOP(%rsi), %rax
            movq %rax, %gs:PCPU_TOP_OF_STACK
            movq %rax, %gs:TSS_RSP0
            movq %rdi, %rax
            FRAME_END
            ret
        """;

    /// <summary>schedule_tail(prev): a new task's first step; ends the switch's preemption count and enables interrupts.</summary>
    [GasCode("schedule_tail", Address = 0xffffffff81880200)]
    public const string ScheduleTail = """
            FRAME_BEGIN
            testq %rdi, %rdi
            jz 1f
            decq %gs:PCPU_PREEMPT_COUNT
        1:
            sti
            FRAME_END
            ret
        """;

    /// <summary>A kernel thread that spins with interrupts on until the timer preempts it.</summary>
    [GasCode("kthread_spin", Address = 0xffffffff81090000)]
    public const string KthreadSpin = """
            FRAME_BEGIN
            sti
        1:
            incq spin_count(%rip)
            jmp 1b
        """;

    /// <summary>A kernel thread that gives the CPU away and sleeps in schedule(): a voluntary sleeper, no pt_regs but its first.</summary>
    [GasCode("kthread_yield", Address = 0xffffffff81090080)]
    public const string KthreadYield = """
            FRAME_BEGIN
        1:
            call schedule
            jmp 1b
        """;

    /// <summary>A kernel thread that ends the run: the machine powers off with its argument as exit code.</summary>
    [GasCode("kthread_poweroff", Address = 0xffffffff81090040)]
    public const string KthreadPoweroff = """
            FRAME_BEGIN
            movl $HC_POWER_OFF, %eax
            vmcall
            ud2
        """;
}
