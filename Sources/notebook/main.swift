import NotebookCLI

await NotebookCLI.main()
