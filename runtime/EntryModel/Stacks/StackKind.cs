namespace EntryModel;

/// <summary>Which kind of stack a range of memory is, as the kernel's <c>stack_type</c> says.</summary>
public enum StackKind
{
    Unknown = 0,
    Task = 1,
    Irq = 2,
    Exception = 3,
    User = 4,
}
