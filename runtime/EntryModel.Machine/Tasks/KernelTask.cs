namespace EntryModel.Machine.Tasks;

/// <summary>A task of the model: an id, a kernel stack and the address of its task struct in guest memory.</summary>
public sealed record KernelTask(int Id, string Name, StackInfo Stack, ulong StructAddress);
