namespace EntryModel.Machine.Execution;

/// <summary>A host-side handler for VMCALL; it may read and change the machine (e.g. map a page, set RAX).</summary>
public interface IHypercallHandler
{
    HypercallOutcome Handle(X86Machine machine, Hypercall hypercall);
}
