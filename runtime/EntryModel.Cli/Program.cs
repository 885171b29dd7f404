return EntryModel.Cli.EntryModelCli.Run(args, Console.Out, Console.Error);
