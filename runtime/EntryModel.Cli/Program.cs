// Placeholder until the CLI issue lands.
System.Console.WriteLine("entrymodel");
