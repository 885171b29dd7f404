namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>Which processor the host-CPU oracle is: undefined-flag behaviour differs between vendors.</summary>
public static class HostCpuInfo
{
    private static readonly Lazy<(string Vendor, string Model)> Identity = new(Read);

    /// <summary>"AuthenticAMD", "GenuineIntel", … from /proc/cpuinfo.</summary>
    public static string Vendor => Identity.Value.Vendor;

    public static string ModelName => Identity.Value.Model;

    public static bool IsAmd => Vendor == "AuthenticAMD";

    private static (string, string) Read()
    {
        string vendor = "unknown", model = "unknown";
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (key == "vendor_id")
            {
                vendor = value;
            }
            else if (key == "model name")
            {
                model = value;
                break;
            }
        }

        return (vendor, model);
    }
}
