using BenchmarkDotNet.Running;

// Runs the benchmark classes named on the command line (or offers a menu): one class per question.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
