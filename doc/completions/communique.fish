# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_communique_global_optspecs
    string join \n message-format= h/help V/version
end

function __fish_communique_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_communique_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_communique_using_subcommand
    set -l cmd (__fish_communique_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c communique -n "__fish_communique_needs_command" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_needs_command" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_needs_command" -s V -l version -d 'Print version'
complete -c communique -n "__fish_communique_needs_command" -f -a "build" -d 'Build statements into PDF, EPUB, HTML or a model dump'
complete -c communique -n "__fish_communique_needs_command" -f -a "watch" -d 'Build, then rebuild whatever changes when a statement, asset or configuration is saved'
complete -c communique -n "__fish_communique_needs_command" -f -a "check" -d 'Read and validate statements only; print diagnostics'
complete -c communique -n "__fish_communique_needs_command" -f -a "new" -d 'Start a new statement: writes content/<SLUG>.md from a commented template'
complete -c communique -n "__fish_communique_needs_command" -f -a "init" -d 'Start a press office\'s folder: a commented communique.toml, content/ with an example statement, and a .gitignore for out/. Never overwrites'
complete -c communique -n "__fish_communique_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c communique -n "__fish_communique_needs_command" -f -a "man" -d 'Print the manual page (roff) to standard output'
complete -c communique -n "__fish_communique_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c communique -n "__fish_communique_using_subcommand build" -l max-input-mb -d 'Largest input file accepted, in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l max-depth -d 'Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l config -d 'House configuration to use instead of the nearest `communique.toml` in the input\'s folder or its parents' -r -F
complete -c communique -n "__fish_communique_using_subcommand build" -s f -l format -d 'Output formats, comma-separated or repeated: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all' -r -f -a "pdf\t''
epub\t''
html\t''
model\t''
txt\t'Wire-ready plain text, OUT/<stem>.txt'
eml\t'An e-mail draft with the PDF attached, OUT/<stem>.eml'
all\t''"
complete -c communique -n "__fish_communique_using_subcommand build" -s o -l out-dir -d 'Folder for the outputs' -r -F
complete -c communique -n "__fish_communique_using_subcommand build" -l bundle -d 'Bundle every input into one EPUB briefing pack with this title (written as OUT/<slug of title>.epub instead of one EPUB per statement)' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l paper -d 'Paper size of the PDF (default: letter for en-US, A4 otherwise)' -r -f -a "letter\t''
a4\t''"
complete -c communique -n "__fish_communique_using_subcommand build" -l pdf-standard -d 'Standards the PDF meets: `ua1` (tagged, accessible), `a2b` (archival), both (the default: `ua1,a2b`) or `none` (a smaller file)' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l font-dir -d 'A folder of extra fonts (.ttf, .otf, .ttc), searched for characters the bundled fonts lack; may be repeated' -r -F
complete -c communique -n "__fish_communique_using_subcommand build" -l max-image-mb -d 'Largest image file accepted, in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l max-image-side -d 'Longest image side accepted, in pixels' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l max-image-decoded-mb -d 'Largest decoded image accepted (width × height × 4 bytes), in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand build" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand build" -l no-smart-punctuation -d 'Keep straight quotes and `--` as typed instead of making them typographic'
complete -c communique -n "__fish_communique_using_subcommand build" -l deny-warnings -d 'Treat warnings as errors (exit code 1)'
complete -c communique -n "__fish_communique_using_subcommand build" -s q -l quiet -d 'Print errors only'
complete -c communique -n "__fish_communique_using_subcommand build" -l embed-fonts -d 'Embed the bundled fonts in EPUBs (larger files; readers\' own fonts are used otherwise)'
complete -c communique -n "__fish_communique_using_subcommand build" -l allow-outside -d 'Allow images outside the statement\'s folder (`..`, absolute paths, links pointing out)'
complete -c communique -n "__fish_communique_using_subcommand build" -l ragged -d 'Set the PDF\'s body text ragged-right instead of justified'
complete -c communique -n "__fish_communique_using_subcommand build" -l no-system-fonts -d 'Use only the bundled fonts and --font-dir, never the system\'s font folders (the same PDF on every machine; emoji are then drawn in the bundled monochrome Noto Emoji)'
complete -c communique -n "__fish_communique_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c communique -n "__fish_communique_using_subcommand watch" -l max-input-mb -d 'Largest input file accepted, in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l max-depth -d 'Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l config -d 'House configuration to use instead of the nearest `communique.toml` in the input\'s folder or its parents' -r -F
complete -c communique -n "__fish_communique_using_subcommand watch" -s f -l format -d 'Output formats, comma-separated or repeated: pdf, epub, html, model (printed to standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF attached) or all' -r -f -a "pdf\t''
epub\t''
html\t''
model\t''
txt\t'Wire-ready plain text, OUT/<stem>.txt'
eml\t'An e-mail draft with the PDF attached, OUT/<stem>.eml'
all\t''"
complete -c communique -n "__fish_communique_using_subcommand watch" -s o -l out-dir -d 'Folder for the outputs' -r -F
complete -c communique -n "__fish_communique_using_subcommand watch" -l bundle -d 'Bundle every input into one EPUB briefing pack with this title (written as OUT/<slug of title>.epub instead of one EPUB per statement)' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l paper -d 'Paper size of the PDF (default: letter for en-US, A4 otherwise)' -r -f -a "letter\t''
a4\t''"
complete -c communique -n "__fish_communique_using_subcommand watch" -l pdf-standard -d 'Standards the PDF meets: `ua1` (tagged, accessible), `a2b` (archival), both (the default: `ua1,a2b`) or `none` (a smaller file)' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l font-dir -d 'A folder of extra fonts (.ttf, .otf, .ttc), searched for characters the bundled fonts lack; may be repeated' -r -F
complete -c communique -n "__fish_communique_using_subcommand watch" -l max-image-mb -d 'Largest image file accepted, in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l max-image-side -d 'Longest image side accepted, in pixels' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l max-image-decoded-mb -d 'Largest decoded image accepted (width × height × 4 bytes), in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand watch" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand watch" -l no-smart-punctuation -d 'Keep straight quotes and `--` as typed instead of making them typographic'
complete -c communique -n "__fish_communique_using_subcommand watch" -l deny-warnings -d 'Treat warnings as errors (exit code 1)'
complete -c communique -n "__fish_communique_using_subcommand watch" -s q -l quiet -d 'Print errors only'
complete -c communique -n "__fish_communique_using_subcommand watch" -l embed-fonts -d 'Embed the bundled fonts in EPUBs (larger files; readers\' own fonts are used otherwise)'
complete -c communique -n "__fish_communique_using_subcommand watch" -l allow-outside -d 'Allow images outside the statement\'s folder (`..`, absolute paths, links pointing out)'
complete -c communique -n "__fish_communique_using_subcommand watch" -l ragged -d 'Set the PDF\'s body text ragged-right instead of justified'
complete -c communique -n "__fish_communique_using_subcommand watch" -l no-system-fonts -d 'Use only the bundled fonts and --font-dir, never the system\'s font folders (the same PDF on every machine; emoji are then drawn in the bundled monochrome Noto Emoji)'
complete -c communique -n "__fish_communique_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c communique -n "__fish_communique_using_subcommand check" -l max-input-mb -d 'Largest input file accepted, in megabytes' -r
complete -c communique -n "__fish_communique_using_subcommand check" -l max-depth -d 'Lists and block quotes nested deeper than this are flattened, with a warning; so are inline spans (emphasis, links) nested deeper. At most 256' -r
complete -c communique -n "__fish_communique_using_subcommand check" -l config -d 'House configuration to use instead of the nearest `communique.toml` in the input\'s folder or its parents' -r -F
complete -c communique -n "__fish_communique_using_subcommand check" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand check" -l no-smart-punctuation -d 'Keep straight quotes and `--` as typed instead of making them typographic'
complete -c communique -n "__fish_communique_using_subcommand check" -l deny-warnings -d 'Treat warnings as errors (exit code 1)'
complete -c communique -n "__fish_communique_using_subcommand check" -s q -l quiet -d 'Print errors only'
complete -c communique -n "__fish_communique_using_subcommand check" -l explain -d 'Print each statement\'s effective front matter, with the file and line each value came from'
complete -c communique -n "__fish_communique_using_subcommand check" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_using_subcommand new" -l dir -d 'Folder to write it in' -r -F
complete -c communique -n "__fish_communique_using_subcommand new" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand new" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_using_subcommand init" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand init" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_using_subcommand completions" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand completions" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_using_subcommand man" -l message-format -d 'How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI' -r -f -a "human\t''
json\t''"
complete -c communique -n "__fish_communique_using_subcommand man" -s h -l help -d 'Print help'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "build" -d 'Build statements into PDF, EPUB, HTML or a model dump'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "watch" -d 'Build, then rebuild whatever changes when a statement, asset or configuration is saved'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "check" -d 'Read and validate statements only; print diagnostics'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "new" -d 'Start a new statement: writes content/<SLUG>.md from a commented template'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "init" -d 'Start a press office\'s folder: a commented communique.toml, content/ with an example statement, and a .gitignore for out/. Never overwrites'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "man" -d 'Print the manual page (roff) to standard output'
complete -c communique -n "__fish_communique_using_subcommand help; and not __fish_seen_subcommand_from build watch check new init completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
