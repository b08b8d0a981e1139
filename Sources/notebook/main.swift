import NotebookCLI

NotebookCLI.main()
