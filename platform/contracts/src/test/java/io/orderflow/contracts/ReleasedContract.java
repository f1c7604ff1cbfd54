package io.orderflow.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The generated classes of a released schema version, as a service built against it has them: the same class
 * names as today's, generated and compiled apart and loaded by a class loader of their own, so that an old and a
 * new version of one event can run side by side in a test.
 */
final class ReleasedContract {

    private final URLClassLoader loader;
    private final String packagePrefix;

    private ReleasedContract(URLClassLoader loader, String packagePrefix) {
        this.loader = loader;
        this.packagePrefix = packagePrefix;
    }

    static ReleasedContract compile(Path releasedSchema, Path workDirectory) {
        try {
            Schema schema = new Schema.Parser().parse(releasedSchema.toFile());
            Path sources = Files.createDirectories(workDirectory.resolve("src"));
            Path classes = Files.createDirectories(workDirectory.resolve("classes"));
            SpecificCompiler compiler = new SpecificCompiler(schema);
            compiler.setStringType(GenericData.StringType.String);
            compiler.setEnableDecimalLogicalType(true);
            compiler.compileToDestination(null, sources.toFile());
            List<String> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java"))
                        .map(Path::toString)
                        .toList();
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            String[] arguments = Stream.concat(
                            Stream.of(
                                    "-d",
                                    classes.toString(),
                                    "-classpath",
                                    System.getProperty("java.class.path"),
                                    "-nowarn",
                                    "-proc:none"),
                            files.stream())
                    .toArray(String[]::new);
            if (javac.run(null, null, null, arguments) != 0) {
                throw new IllegalStateException("cannot compile the classes of " + releasedSchema);
            }
            String prefix = "io.orderflow.contracts.";
            return new ReleasedContract(new ChildFirst(classes.toUri().toURL(), prefix), prefix);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Class<? extends SpecificRecord> type(String className) {
        try {
            Class<?> type = loader.loadClass(className);
            if (type.getClassLoader() != loader) {
                throw new IllegalStateException(className + " was not loaded from the released version");
            }
            return (Class<? extends SpecificRecord>) type;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the released classes from their own directory before asking the test's class path. */
    private static final class ChildFirst extends URLClassLoader {
        private final String prefix;

        ChildFirst(URL classes, String prefix) {
            super(new URL[] {classes}, ReleasedContract.class.getClassLoader());
            this.prefix = prefix;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && name.startsWith(prefix)) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException e) {
                        loaded = null;
                    }
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
