"""nbgrader's configuration for the homework's course directory (this folder).

    cd graders/nbgrader
    nbgrader generate_assignment homework --force   # writes release/homework/
    nbgrader autograde homework --force             # grades submitted/<student>/homework/

The source assignment, source/homework/homework.ipynb, is written by
graders/make_assignments.py from notebooks/04_homework_solutions.ipynb: edit that, not this copy.
"""

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = "backprop-widgets-homework"

# A stub that the checks recognise: "not implemented yet", not an error in the student's code.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("your code here")'
}

# Each graded test starts two fresh Python processes; give a slow machine room.
c.ExecutePreprocessor.timeout = 300
