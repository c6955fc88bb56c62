package io.aitrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one {@code aitrace: …} line on stderr and exit code 2; the stack trace only with
 * {@code --debug}. A bad option also gets the usual pointer to {@code --help}.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int EXIT_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (debug(parsed)) {
            ex.printStackTrace(err);
        }
        err.println("aitrace: " + message(ex));
        err.flush();
        return EXIT_ERROR;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("aitrace: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return EXIT_ERROR;
    }

    static String message(Throwable ex) {
        if (ex instanceof CliError) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return message(ex.getCause());
        }
        if (ex instanceof FileSystemException && ((FileSystemException) ex).getFile() != null) {
            FileSystemException fs = (FileSystemException) ex;
            return TraceSource.unreadable(Path.of(fs.getFile()), fs).getMessage();
        }
        if (ex instanceof IOException) {
            return ex.getMessage() == null ? ex.toString() : ex.getMessage();
        }
        return "internal error: " + ex + " (run again with --debug for the stack trace)";
    }

    private static boolean debug(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
